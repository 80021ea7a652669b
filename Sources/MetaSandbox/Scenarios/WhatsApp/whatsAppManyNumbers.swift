import Foundation
import MetaConfig

extension SandboxScenarios {
    /// The WABA has 30 numbers, so its phone_numbers list comes in two pages (Meta's default
    /// of 25 a page, MB-G10) and the configured number is on the second.
    public static let whatsAppManyNumbers = SandboxScenario(
        name: "whatsapp-many-numbers",
        summary: "The WABA has 30 phone numbers; the configured one is on the second page of the list."
    ) { model in
        guard var waba = model.wabas[SandboxIDs.wabaID], var configured = waba.phoneNumbers[SandboxIDs.phoneNumberID] else { return }
        waba.phoneNumbers = [:]
        for index in 0..<29 {
            let id = "12050000000001\(String(format: "%02d", index))"
            waba.phoneNumbers[id] = PhoneNumberRecord(
                id: id, displayPhoneNumber: "+1 555-011-\(String(format: "%04d", index))", verifiedName: "Sandbox Shop \(index)")
        }
        configured.id = "1205000000000199"
        waba.phoneNumbers[configured.id] = configured
        model.wabas[SandboxIDs.wabaID] = waba
        model.configured[ConfigKey.whatsappPhoneNumberID.name] = configured.id
    }
}
