import MetaDoctorCLI

await MetaDoctorCommand.main()
