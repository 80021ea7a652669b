/// A `--connect-to HOST:PORT:HOST2:PORT2` rule, as curl's: connections meant for HOST:PORT go to
/// HOST2:PORT2, while SNI, the certificate name check and the Host header keep HOST.
public struct ConnectTo: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let targetHost: String
    public let targetPort: Int

    public init(host: String, port: Int, targetHost: String, targetPort: Int) {
        self.host = host.lowercased()
        self.port = port
        self.targetHost = targetHost
        self.targetPort = targetPort
    }

    /// Parses `HOST:PORT:HOST2:PORT2`; IPv6 addresses go in brackets.
    public init?(argument: String) {
        var parts: [String] = []
        var current = ""
        var inBrackets = false
        for character in argument {
            switch character {
            case "[": inBrackets = true
            case "]": inBrackets = false
            case ":" where !inBrackets:
                parts.append(current)
                current = ""
            default: current.append(character)
            }
        }
        parts.append(current)
        guard parts.count == 4, !parts[0].isEmpty, !parts[2].isEmpty,
            let port = Int(parts[1]), let targetPort = Int(parts[3]),
            (1...65535).contains(port), (1...65535).contains(targetPort)
        else { return nil }
        self.init(host: parts[0], port: port, targetHost: parts[2], targetPort: targetPort)
    }

    public var description: String { "\(host):\(port) -> \(targetHost):\(targetPort)" }

    public static func rule(for host: String, port: Int, in rules: [ConnectTo]) -> ConnectTo? {
        rules.first { $0.host == host.lowercased() && $0.port == port }
    }
}
