import MetaDoctorCLI

await MetaDoctorCommand.runMain()
