import DoctorKit
import Foundation
import MetaChecks
import MetaConfig
import Testing

/// A webhook URL Meta cannot call (plain http, a loopback address) fails the webhook checks only:
/// `config` passes, so the token checks still run.
@Suite("Webhook URLs Meta cannot reach")
struct WebhookReachabilityTests {
    static func configuration(_ base: String) -> MetaConfiguration {
        ConfigurationLoader(
            envFile: nil,
            environment: [
                "META_APP_ID": "1201", "META_APP_SECRET": "reachability-test-secret", "META_VERIFY_TOKEN": "b7c1e9d2f4a6",
                "WEBHOOK_BASE_URL": base,
            ]
        ).load(readingDefaultFile: false)
    }

    @Test(
        "http:// and loopback webhook URLs fail webhook.P.https saying Meta cannot reach them; config passes",
        arguments: [
            ("http://bot.example.com", "is http://: Meta cannot reach it", "webhook-https"),
            ("https://127.0.0.1:8443", "a loopback address: Meta cannot reach it", "local-development-with-ngrok"),
            ("https://localhost", "a loopback address: Meta cannot reach it", "local-development-with-ngrok"),
            ("https://[::1]:8443", "a loopback address: Meta cannot reach it", "local-development-with-ngrok"),
        ])
    func unreachable(base: String, expected: String, step: String) async throws {
        let environment = TestEnvironment.offline(Self.configuration(base))
        let context = CheckContext(facts: Facts(), timeLimit: .seconds(5))
        let config = try await ConfigCheck().run(environment, context)
        #expect(config.verdict != .fail, "\(config.message)")
        let https = try await WebhookHTTPSCheck(platform: .messenger).run(environment, context)
        #expect(https.verdict == .fail)
        #expect(https.message.contains(expected), "\(https.message)")
        #expect((https.guideStep ?? GuideSteps.webhookHTTPS).anchor == step)
        #expect(https.action?.contains("public https URL") == true)
    }
}
