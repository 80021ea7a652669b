import Foundation
import MetaConfig

extension SandboxScenarios {
    /// The system user's token names two WABAs of the business in its granular scopes; the
    /// configured one has two numbers, the other 27, so its phone_numbers list comes in two pages
    /// (MB-G10).
    public static let whatsAppTwoWABAs = SandboxScenario(
        name: "whatsapp-two-wabas",
        summary: "The system user reaches two WABAs (2 and 27 phone numbers); the configuration names the first."
    ) { model in
        let second = PhoneNumberRecord(
            id: "1205000000000003", displayPhoneNumber: "+1 555-010-4343", verifiedName: "Sandbox Shop Support",
            status: "DISCONNECTED")
        model.wabas[SandboxIDs.wabaID]?.phoneNumbers[second.id] = second
        var numbers: [String: PhoneNumberRecord] = [:]
        for index in 0..<27 {
            let id = "12050000000003\(String(format: "%02d", index))"
            numbers[id] = PhoneNumberRecord(
                id: id, displayPhoneNumber: "+44 20 7946 \(String(format: "%04d", index))", verifiedName: "Sandbox Shop EU")
        }
        let europe = WABARecord(
            id: SandboxIDs.europeWABAID, name: "Sandbox Shop EU", businessID: SandboxIDs.businessID,
            messageTemplateNamespace: "sbx" + SandboxIDs.hex("europe-template-namespace", 24), phoneNumbers: numbers)
        model.wabas[europe.id] = europe
        model.tokens[SandboxIDs.systemUserToken]?.setTargets([SandboxIDs.wabaID, SandboxIDs.europeWABAID])
    }
}
