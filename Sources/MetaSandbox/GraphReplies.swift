import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Turns Graph answers into HTTP replies: the JSON, or Meta's error envelope with the request's
/// fbtrace_id and its `WWW-Authenticate`, and the usage headers the calls so far earn (MB-G21).
/// Meta's common headers come from `MetaHeadersMiddleware`.
struct GraphReplies: Sendable {
    let store: SandboxStore

    func response(_ answer: GraphAnswer, traceID: String) -> Response {
        let usage = answer.usage.map { usageHeader($0, throttledFor: nil) }
        switch answer.result {
        case .success(let json): return Self.response(status: 200, body: json.encoded, headers: usage.map { [$0] } ?? [])
        case .failure(let failure): return response(failure, traceID: traceID, headers: usage.map { [$0] } ?? [])
        }
    }

    func response(_ failure: GraphFailure, traceID: String, headers: [(String, String)] = []) -> Response {
        var headers = headers
        if let challenge = failure.wwwAuthenticate { headers.append(("Www-Authenticate", challenge)) }
        return Self.response(status: failure.status, body: failure.envelope(fbtraceID: traceID).encoded, headers: headers)
    }

    /// MB-G21. The percentages come from the calls so far against Meta's budgets: an
    /// app gets 200 calls per hour per user (one user here), a WABA 200 management calls per hour,
    /// a Page or Instagram account 4800 calls per day per engaged user (one here). The sandbox
    /// spends no real time, so total_time and total_cputime repeat call_count. A throttled call
    /// reports 100 % and, for a business object, the minutes until access returns.
    func usageHeader(_ subject: UsageSubject, throttledFor minutes: Int?) -> (String, String) {
        let calls = store.countCall(subject)
        // A fleet world's budget is its throttle's window (MB-G42); otherwise Meta's hourly/daily ones.
        let budget: Int
        if let throttle = store.throttle {
            budget = throttle.budget(subject)
        } else if case .business(_, let type) = subject {
            budget = type == "whatsapp_business_management" ? 200 : 4800
        } else {
            budget = 200
        }
        let percent = minutes == nil ? min(100, calls * 100 / budget) : 100
        switch subject {
        case .app:
            let usage: JSONValue = ["call_count": .int(percent), "total_cputime": .int(percent), "total_time": .int(percent)]
            return ("X-App-Usage", usage.encoded)
        case .business(let id, let type):
            let usage: JSONValue = [
                id: [
                    [
                        "type": .string(type), "call_count": .int(percent), "total_cputime": .int(percent),
                        "total_time": .int(percent), "estimated_time_to_regain_access": .int(minutes ?? 0),
                    ]
                ]
            ]
            return ("X-Business-Use-Case-Usage", usage.encoded)
        }
    }

    static func response(status: Int, body: String, headers: [(String, String)]) -> Response {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
