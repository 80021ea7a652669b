import Foundation
import MetaConfig

/// The events the webhook probes post: realistic events of each platform's own kind that trigger
/// no reply (MB-W3), with ids starting `meta-doctor-` so a backend's owner can tell them apart.
/// Bodies are serialized as Meta sends them: non-ASCII escaped as \uXXXX and "/" as "\/", and
/// signed over those exact bytes (MB-W5).
enum WebhookTestEvents {
    static let idPrefix = "meta-doctor-"

    static func body(for platform: Platform, configuration: MetaConfiguration, now: Date, nonce: String) -> [UInt8] {
        let milliseconds = Int(now.timeIntervalSince1970 * 1000)
        let seconds = Int(now.timeIntervalSince1970)
        let event: [(String, Any)]
        switch platform {
        case .messenger:
            // A delivery receipt: messaging[].delivery{mids, watermark} (MB-W3).
            let page = configuration.pageID ?? "0"
            event = [
                ("object", "page"),
                ("entry", [[
                    ("id", page), ("time", milliseconds),
                    ("messaging", [[
                        ("sender", [("id", "\(idPrefix)psid")]), ("recipient", [("id", page)]), ("timestamp", milliseconds),
                        ("delivery", [("mids", ["m_\(idPrefix)\(nonce)"]), ("watermark", milliseconds)]),
                    ]]),
                ]]),
            ]
        case .whatsapp:
            // A status update: changes[].value.statuses[], which needs no answer (MB-W3).
            let waba = configuration.wabaID ?? "0"
            event = [
                ("object", "whatsapp_business_account"),
                ("entry", [[
                    ("id", waba),
                    ("changes", [[
                        ("field", "messages"),
                        ("value", [
                            ("messaging_product", "whatsapp"),
                            ("metadata", [("display_phone_number", "15550100"), ("phone_number_id", configuration.phoneNumberID ?? "0")]),
                            ("statuses", [[
                                ("id", "wamid.\(idPrefix)\(nonce)"), ("status", "delivered"), ("timestamp", String(seconds)),
                                ("recipient_id", "15550199"),
                                ("conversation", [("id", "\(idPrefix)conversation"), ("origin", [("type", "service")])]),
                                ("pricing", [("billable", true), ("pricing_model", "CBP"), ("category", "service")]),
                            ]]),
                        ]),
                    ]]),
                ]]),
            ]
        case .instagram:
            // A seen event: messaging[].read{mid} (MB-W3).
            let account = configuration.instagramAccountID ?? "0"
            event = [
                ("object", "instagram"),
                ("entry", [[
                    ("id", account), ("time", milliseconds),
                    ("messaging", [[
                        ("sender", [("id", "\(idPrefix)igsid")]), ("recipient", [("id", account)]), ("timestamp", milliseconds),
                        ("read", [("mid", "\(idPrefix)\(nonce)")]),
                    ]]),
                ]]),
            ]
        }
        return Array(serialize(event).utf8)
    }

    /// Serializes ordered pairs, arrays, strings, integers and booleans as Meta does.
    static func serialize(_ value: Any) -> String {
        switch value {
        case let pairs as [(String, Any)]:
            "{" + pairs.map { "\(escape($0.0)):\(serialize($0.1))" }.joined(separator: ",") + "}"
        case let array as [[(String, Any)]]:
            "[" + array.map { serialize($0) }.joined(separator: ",") + "]"
        case let array as [String]:
            "[" + array.map(escape).joined(separator: ",") + "]"
        case let text as String: escape(text)
        case let flag as Bool: flag ? "true" : "false"
        case let number as Int: String(number)
        default: "null"
        }
    }

    static func escape(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "/": result += "\\/"
            case "\n": result += "\\n"
            case _ where scalar.value < 0x20 || scalar.value > 0x7E:
                for unit in String(scalar).utf16 { result += String(format: "\\u%04x", unit) }
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
