import DoctorKit
import Foundation
import MetaChecks
import MetaConfig

/// `discover`'s two formats: a short tree for people, JSON for scripts. Both go through the
/// run's `Redactor`; neither ever holds a token (discovery reads none).
public enum DiscoveryOutput {
    /// Where each token came from, as the output names it ("WHATSAPP_ACCESS_TOKEN (.env:3)").
    public struct Sources: Sendable {
        public var whatsappToken: String?
        public var pageToken: String?
        /// `--user-token-env NAME`.
        public var userToken: String?

        public init(_ configuration: MetaConfiguration, userTokenVariable: String?) {
            whatsappToken = configuration.values[.whatsappAccessToken]?.provenance
            pageToken = configuration.values[.pageAccessToken]?.provenance
            userToken = userTokenVariable.map { "\($0) (--user-token-env)" }
        }
    }

    /// The exit status of a discovery: 3 when a read could not be verified, else 0.
    public static func exitStatus(_ result: DiscoveryResult) -> Int32 {
        result.couldNotVerify ? Int32(ExitStatus.couldNotVerify) : 0
    }

    /// A configured id as output may show it: digits (an id) or a display phone number; anything
    /// else may be a token pasted in an id's place and is never shown.
    static func shown(_ value: String) -> String? {
        value.allSatisfy(\.isNumber) || value.allSatisfy({ $0.isNumber || "+ -.()".contains($0) }) ? value : nil
    }

    /// "✓ META_PAGE_ID", "≠ META_PAGE_ID is 178…", "META_PAGE_ID not set".
    static func mark(_ key: ConfigKey, _ value: String, in result: DiscoveryResult) -> String {
        guard let configured = result.configured[key] else { return "\(key.name) not set" }
        if configured == value { return "✓ \(key.name)" }
        return "≠ \(key.name) is \(shown(configured) ?? "another value")"
    }

    static func quoted(_ name: String?) -> String { name.map { " '\($0)'" } ?? "" }

    // MARK: Human

    public static func human(_ result: DiscoveryResult, sources: Sources) -> String {
        var lines: [String] = ["meta-doctor discover: what the configured tokens reach (Graph API reads only)", ""]
        if let app = result.app {
            lines += ["App (META_APP_ID with META_APP_SECRET)", "  \(app.id)\(quoted(app.name)): the secret is this app's   \(mark(.appID, app.id, in: result))", ""]
        }
        if let token = result.whatsapp {
            lines.append("WhatsApp token (\(sources.whatsappToken ?? "WHATSAPP_ACCESS_TOKEN"))")
            if token.type == nil, token.user == nil {
                lines.append("  not readable (see Could not read)")
            } else {
                var about = (token.type.map { "\($0) token" } ?? "Token") + (token.user.map { " of \($0.id)\(quoted($0.name))" } ?? "")
                if let appID = token.appID { about += ", issued for app \(appID)" }
                lines.append("  " + about)
            }
            if token.assetScoped == false { lines.append("  its scopes name no WABA (not limited to assets): the configured WABA is read") }
            for (index, waba) in token.wabas.enumerated() {
                let last = index == token.wabas.count - 1
                lines.append("  \(last ? "└─" : "├─") WABA \(waba.id)\(quoted(waba.name))\(listMark(.whatsappBusinessAccountID, waba.id, result))")
                let indent = "  " + (last ? "   " : "│  ")
                for (position, number) in waba.phoneNumbers.enumerated() {
                    let branch = position == waba.phoneNumbers.count - 1 ? "└─" : "├─"
                    let parts = [number.id, number.displayPhoneNumber ?? "?", number.verifiedName.map { "'\($0)'" } ?? "", number.status ?? ""]
                        .filter { !$0.isEmpty }
                    lines.append("\(indent)\(branch) \(parts.joined(separator: "  "))\(listMark(.whatsappPhoneNumberID, number.id, result))")
                }
                if waba.phoneNumbers.isEmpty { lines.append("\(indent)└─ no phone number") }
            }
            if token.wabas.isEmpty { lines.append("  no WABA") }
            lines += notAmong(.whatsappBusinessAccountID, token.wabas.map(\.id), result, noun: "these WABAs")
            let numbers = token.wabas.flatMap(\.phoneNumbers)
            var numberLines = notAmong(.whatsappPhoneNumberID, numbers.map(\.id), result, noun: "these numbers")
            if !numberLines.isEmpty, let configured = result.configured[.whatsappPhoneNumberID],
                let shownAs = numbers.first(where: { $0.displayPhoneNumber.map(MisplacedIDs.digits) == MisplacedIDs.digits(configured) })
            {
                numberLines[0] += " (it is the display number of \(shownAs.id))"
            }
            lines += numberLines
            lines.append("")
        }
        if let page = result.page {
            lines.append("Page token (\(sources.pageToken ?? "META_PAGE_ACCESS_TOKEN"))")
            lines.append("  Page \(page.id)\(quoted(page.name))   \(mark(.pageID, page.id, in: result))")
            switch page.instagramLink {
            case .linked(let account):
                lines.append("  └─ Instagram \(account.id)\(account.username.map { " @\($0)" } ?? "")   \(mark(.instagramAccountID, account.id, in: result))")
            case .none: lines.append("  └─ no linked Instagram account")
            case .unread: lines.append("  └─ Instagram link not read")
            }
            lines.append("")
        }
        if let pages = result.managedPages {
            lines.append("Pages the user token manages (\(sources.userToken ?? "--user-token-env"))")
            for (index, page) in pages.enumerated() {
                lines.append("  \(index == pages.count - 1 ? "└─" : "├─") \(page.id)\(quoted(page.name))\(listMark(.pageID, page.id, result))")
            }
            if pages.isEmpty { lines.append("  none") }
            lines.append("")
        }
        if !result.unread.isEmpty {
            lines.append("Could not read")
            for item in result.unread {
                lines.append("  - \(item.subject): \(item.message)\(item.couldNotVerify ? " (could not verify)" : "")")
            }
            lines.append("")
        }
        let changes = result.changes
        if changes.isEmpty {
            lines.append("The configuration holds every value these reads single out.")
        } else {
            lines.append("Suggested values (these reads single them out; the configuration differs)")
            for key in DiscoveryResult.idKeys {
                guard let value = changes[key] else { continue }
                let now = result.configured[key].map { "   (now \(shown($0) ?? "another value"))" } ?? "   (not set)"
                lines.append("  \(key.name)=\(value)\(now)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "   ✓ KEY" on the list item the configuration names, nothing on the others.
    static func listMark(_ key: ConfigKey, _ value: String, _ result: DiscoveryResult) -> String {
        result.isConfigured(key, value) ? "   ✓ \(key.name)" : ""
    }

    /// A line when the configuration names a value that none of `values` is.
    static func notAmong(_ key: ConfigKey, _ values: [String], _ result: DiscoveryResult, noun: String) -> [String] {
        guard let configured = result.configured[key], !values.isEmpty, !values.contains(configured) else { return [] }
        return ["  ≠ \(key.name) is \(shown(configured) ?? "another value"): none of \(noun)"]
    }

    // MARK: JSON (reports/discover.schema.json)

    struct Document: Encodable {
        struct Item: Encodable {
            let id: String
            let name: String?
            /// The variable this id goes in, and whether the configuration holds it.
            let key: String
            let configured: Bool
        }
        struct Number: Encodable {
            let id: String
            let displayPhoneNumber: String?
            let verifiedName: String?
            let status: String?
            let key: String
            let configured: Bool
        }
        struct WABA: Encodable {
            let id: String
            let name: String?
            let key: String
            let configured: Bool
            let phoneNumbers: [Number]
        }
        struct User: Encodable {
            let id: String
            let name: String?
        }
        struct WhatsApp: Encodable {
            let source: String?
            let tokenType: String?
            let user: User?
            let appId: String?
            let assetScoped: Bool?
            let wabas: [WABA]
        }
        struct Instagram: Encodable {
            let id: String
            let username: String?
            let key: String
            let configured: Bool
        }
        struct Page: Encodable {
            let source: String?
            let id: String
            let name: String?
            let key: String
            let configured: Bool
            /// "linked", "none" or "unread".
            let instagramLink: String
            let instagram: Instagram?
        }
        struct Unread: Encodable {
            let subject: String
            let message: String
            let couldNotVerify: Bool
        }
        /// reports/discover.schema.json's version.
        let schemaVersion = 1
        let app: Item?
        let whatsapp: WhatsApp?
        let page: Page?
        let managedPages: [Item]?
        let unread: [Unread]
        /// Every value the reads single out, by variable.
        let suggested: [String: String]
        /// Those that differ from the configuration.
        let changes: [String: String]
        let exitCode: Int32
    }

    public static func json(_ result: DiscoveryResult, sources: Sources) -> String {
        func item(_ id: String, _ name: String?, _ key: ConfigKey) -> Document.Item {
            Document.Item(id: id, name: name, key: key.name, configured: result.isConfigured(key, id))
        }
        let whatsapp = result.whatsapp.map { token in
            Document.WhatsApp(
                source: sources.whatsappToken, tokenType: token.type,
                user: token.user.map { Document.User(id: $0.id, name: $0.name) },
                appId: token.appID, assetScoped: token.assetScoped,
                wabas: token.wabas.map { waba in
                    Document.WABA(
                        id: waba.id, name: waba.name, key: ConfigKey.whatsappBusinessAccountID.name,
                        configured: result.isConfigured(.whatsappBusinessAccountID, waba.id),
                        phoneNumbers: waba.phoneNumbers.map { number in
                            Document.Number(
                                id: number.id, displayPhoneNumber: number.displayPhoneNumber, verifiedName: number.verifiedName,
                                status: number.status, key: ConfigKey.whatsappPhoneNumberID.name,
                                configured: result.isConfigured(.whatsappPhoneNumberID, number.id))
                        })
                })
        }
        let page = result.page.map { page in
            let link: String
            switch page.instagramLink {
            case .linked: link = "linked"
            case .none: link = "none"
            case .unread: link = "unread"
            }
            return Document.Page(
                source: sources.pageToken, id: page.id, name: page.name, key: ConfigKey.pageID.name,
                configured: result.isConfigured(.pageID, page.id), instagramLink: link,
                instagram: page.instagram.map {
                    Document.Instagram(
                        id: $0.id, username: $0.username, key: ConfigKey.instagramAccountID.name,
                        configured: result.isConfigured(.instagramAccountID, $0.id))
                })
        }
        let document = Document(
            app: result.app.map { item($0.id, $0.name, .appID) }, whatsapp: whatsapp, page: page,
            managedPages: result.managedPages?.map { item($0.id, $0.name, .pageID) },
            unread: result.unread.map { Document.Unread(subject: $0.subject, message: $0.message, couldNotVerify: $0.couldNotVerify) },
            suggested: Dictionary(uniqueKeysWithValues: result.suggestedValues.map { ($0.key.name, $0.value) }),
            changes: Dictionary(uniqueKeysWithValues: result.changes.map { ($0.key.name, $0.value) }),
            exitCode: exitStatus(result))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
