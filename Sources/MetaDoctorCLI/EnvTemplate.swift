import DoctorKit
import Foundation
import MetaChecks
import MetaConfig

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `.env` file `meta-doctor init` writes: every variable the chosen platforms need, each under
/// a one-line comment that says where in Meta's dashboards its value is, with the guide step's link.
/// A value not known yet is written empty (`NAME=`), which `config` reports as "empty: fill it in".
struct EnvTemplate: Sendable, Equatable {
    var platforms: Set<Platform>
    /// Which Instagram API the backend uses; only written when Instagram is chosen.
    var instagramAPI: InstagramAPI = .page
    /// The values known, canonical keys only.
    var values: [ConfigKey: String] = [:]

    /// The variables the chosen platforms need, in the order the file lists them (and `init` asks).
    var keys: [ConfigKey] {
        var keys: [ConfigKey] = [.appID, .appSecret]
        if platforms.contains(.messenger) || (platforms.contains(.instagram) && instagramAPI == .page) {
            keys += [.pageID, .pageAccessToken]
        }
        if platforms.contains(.whatsapp) { keys += [.whatsappBusinessAccountID, .whatsappPhoneNumberID, .whatsappAccessToken] }
        if platforms.contains(.instagram) {
            keys += [.instagramAPI, .instagramAccountID]
            if instagramAPI == .instagramLogin { keys.append(.instagramAccessToken) }
        }
        keys += [.verifyToken, .webhookBaseURL]
        // Whatever else was given (a Graph URL, a version, one platform's webhook URL) is kept too.
        keys += ConfigKey.allCases.filter { !keys.contains($0) && values[$0] != nil }
        return keys
    }

    /// The keys written empty, for the user to fill in.
    var placeholders: [ConfigKey] { keys.filter { (values[$0] ?? "").isEmpty } }

    func render(docsURL: String = DoctorRunRequest.defaultDocsURL) -> String {
        let names = Platform.allCases.filter(platforms.contains).map(\.displayName).joined(separator: ", ")
        var lines = [
            "# meta-doctor configuration for \(names), written by `meta-doctor init`.",
            "# It holds secrets: keep it out of version control. Fill in every empty value, then run `meta-doctor check`.",
        ]
        for key in keys {
            lines.append("")
            lines.append("# " + Self.comment(for: key, instagramAPI: instagramAPI, docsURL: docsURL))
            lines.append("\(key.name)=\(Self.quoted(values[key] ?? ""))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value as a `.env` line holds it so that `DotEnv.parse` reads it back unchanged: bare when it
    /// has only characters no dotenv reader treats specially, else in single quotes, else double.
    static func quoted(_ value: String) -> String {
        let plain = value.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "_-.:/|@+,~%=".unicodeScalars.contains(scalar)
        }
        if plain { return value }
        if !value.contains("'"), !value.contains("\n") { return "'\(value)'" }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "$", with: "\\$").replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }

    /// What the variable is, where in the dashboards its value is, and the guide step that says more.
    static func comment(for key: ConfigKey, instagramAPI: InstagramAPI, docsURL: String) -> String {
        let (text, step): (String, GuideStep) =
            switch key {
            case .appID: ("The App ID: developers.facebook.com > My Apps > your app > App settings > Basic", GuideSteps.appSecret)
            case .appSecret: ("Secret. The App Secret: App settings > Basic > App Secret > Show", GuideSteps.appSecret)
            case .pageID: ("The Facebook Page's id: Messenger > Messenger API Settings, under the Page's name", GuideSteps.messengerPageToken)
            case .pageAccessToken:
                ("Secret. The Page access token: Messenger > Messenger API Settings > Generate access tokens > Generate", GuideSteps.messengerPageToken)
            case .whatsappBusinessAccountID: ("The WhatsApp Business Account ID: WhatsApp > API Setup", GuideSteps.whatsappBusinessAccount)
            case .whatsappPhoneNumberID: ("The Phone number ID (not the number): WhatsApp > API Setup, under From", GuideSteps.whatsappPhoneNumber)
            case .whatsappAccessToken:
                ("Secret. A system user token: business.facebook.com > Business settings > Users > System users > Generate new token", GuideSteps.whatsappSystemUser)
            case .instagramAPI: ("How your backend reaches Instagram: page (a Page token) or instagram-login (an IGAA token)", GuideSteps.instagramToken)
            case .instagramAccountID:
                instagramAPI == .instagramLogin
                    ? ("The Instagram account's user_id: GET graph.instagram.com/me?fields=user_id with its token", GuideSteps.instagramToken)
                    : ("The Instagram account linked to the Page: GET /<PAGE_ID>?fields=instagram_business_account", GuideSteps.instagramLink)
            case .instagramAccessToken:
                ("Secret. The Instagram token: Instagram > API setup with Instagram login > Generate token", GuideSteps.instagramToken)
            case .verifyToken: ("Secret. The verify token your webhook expects: a random string you choose (openssl rand -hex 16)", GuideSteps.webhookVerify)
            case .webhookBaseURL: ("Your webhooks' public https origin (the ngrok URL for a local server)", GuideSteps.webhookHTTPS)
            case .graphVersion: ("The Graph API version", GuideSteps.graphVersion)
            case .graphURL: ("The Graph API base URL", GuideSteps.configuration)
            case .messengerWebhookURL, .whatsappWebhookURL, .instagramWebhookURL: ("One platform's own webhook URL", GuideSteps.webhookHTTPS)
            case .instagramGraphURL: ("Instagram Login's Graph API URL", GuideSteps.instagramToken)
            }
        return "\(text) (step \(step.number.map(String.init) ?? "-"): \(docsURL)#\(step.anchor))"
    }
}

/// Writes a new `.env` file in one step, mode 0600 from its creation: a temporary file beside it,
/// then `link(2)`, which fails when the file exists (so nothing is overwritten), or with `--force`
/// `rename(2)`, which replaces it. A reader never sees a half-written file.
enum EnvFileWriter {
    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    /// Why `path` cannot be written, or nil: it exists (without `force`), is not a regular file, or
    /// its directory is missing or read-only. Checked before any question is asked.
    static func problem(_ path: String, force: Bool) -> String? {
        // FileManager rather than lstat(2), as in `OutputTarget.writeProblem`; it does not follow a symbolic link.
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
            if attributes[.type] as? FileAttributeType != .typeRegular { return "\(path) exists and is not a regular file" }
            if !force { return "\(path) already exists; meta-doctor init never overwrites it without --force" }
        }
        return OutputTarget.writeProblem(path).map { "cannot write \(path): \($0)" }
    }

    static func write(_ text: String, to path: String, force: Bool) throws(WriteError) {
        if let problem = problem(path, force: force) { throw WriteError(description: problem.prefix(1).uppercased() + problem.dropFirst() + ".") }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).meta-doctor-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WriteError(description: "Cannot create a file next to \(path): \(RegularFile.describeErrno(errno)).") }
        // The mode is set on the descriptor too: a umask cannot widen it, and it never is wider.
        _ = fchmod(descriptor, 0o600)
        let failure = Terminal.write(Array(text.utf8), to: descriptor)
        let synced = fsync(descriptor) == 0
        close(descriptor)
        defer { unlink(temporary) }
        if let failure { throw WriteError(description: "Cannot write \(path): \(failure).") }
        guard synced else { throw WriteError(description: "Cannot write \(path): \(RegularFile.describeErrno(errno)).") }
        if force {
            guard rename(temporary, path) == 0 else { throw WriteError(description: "Cannot replace \(path): \(RegularFile.describeErrno(errno)).") }
        } else {
            guard link(temporary, path) == 0 else {
                if errno == EEXIST { throw WriteError(description: "\(path) already exists; meta-doctor init never overwrites it without --force.") }
                throw WriteError(description: "Cannot write \(path): \(RegularFile.describeErrno(errno)).")
            }
        }
    }
}
