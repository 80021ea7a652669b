import Foundation
import HTTPTypes
import Hummingbird
import MetaConfig
import NIOCore

/// Turns HTTP requests into Graph answers: records the request, applies the faults, asks
/// `GraphRoutes`, and writes Meta's headers.
struct GraphResponder: Sendable {
    let store: SandboxStore
    /// The API this responder plays.
    var host: GraphHost = .facebook

    /// The reply before it becomes a Hummingbird `Response`.
    private struct Reply {
        var status: Int
        var body: String
        var headers: [(String, String)]
    }

    func respond(to request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        var recorded = RecordedRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
            headers: request.headers.map { (name: $0.name.rawName, value: $0.value) }, body: String(buffer: body))
        recorded.host = host
        store.record(recorded)
        let graphRequest = GraphRequest(recorded)
        let routes = GraphRoutes(store: store, now: Date())
        let traceID = SandboxStore.opaque(11)

        let requestedVersion = graphRequest.version ?? GraphVersions.defaultVersion
        let versionAnswer = store.model.versions.answer(
            for: requestedVersion, onWhatsAppObject: graphRequest.components.first.map(routes.isWhatsAppObject) ?? false)
        let plan = store.plan(for: graphRequest.components)
        if plan.latency > .zero { try await Task.sleep(for: plan.latency) }
        if case .hang = plan.answer { try await Task.sleep(for: .seconds(365 * 86_400)) }
        var reply: Reply
        switch plan.answer {
        case .serverError:
            reply = failureReply(.unexpectedError, traceID: traceID, headers: [])
        case .htmlPage:
            // A proxy in front of the API answered: HTML and none of the API's own headers.
            return response(
                Reply(status: 502, body: Self.htmlErrorPage, headers: [("Content-Type", "text/html; charset=utf-8")]))
        case .rateLimit(let code, let minutes):
            let usage = routes.throttleSubject(of: graphRequest).map { usageHeader($0, throttledFor: minutes) }
            reply = failureReply(.rateLimited(code: code), traceID: traceID, headers: usage.map { [$0] } ?? [])
        case .hang, nil:
            let answer =
                if versionAnswer == .unknown {
                    GraphAnswer(result: .failure(.unknownVersion(requestedVersion)), usage: nil)
                } else if host == .instagram {
                    routes.instagramLoginAnswer(graphRequest)
                } else {
                    routes.answer(graphRequest, verification: await verifyCallback(graphRequest))
                }
            let usage = answer.usage.map { usageHeader($0, throttledFor: nil) }
            switch answer.result {
            case .success(let json): reply = Reply(status: 200, body: json.encoded, headers: usage.map { [$0] } ?? [])
            case .failure(let failure):
                reply = failureReply(failure, traceID: traceID, headers: usage.map { [$0] } ?? [])
            }
        }
        if plan.malformedJSON {
            reply.status = 200
            reply.body = String(reply.body.prefix(reply.body.count / 2))
        }
        var versionHeaders: [(String, String)] = []
        switch versionAnswer {
        case .served(let version): versionHeaders = [("Facebook-Api-Version", version)]
        case .upgraded(let version, let warning):
            versionHeaders = [("Facebook-Api-Version", version), ("X-Ad-Api-Version-Warning", warning)]
        case .unknown: break
        }
        reply.headers = [("Content-Type", "application/json; charset=UTF-8")] + versionHeaders + [("X-Fb-Trace-Id", traceID)]
            + reply.headers
        return response(reply)
    }

    /// Meta's verification of the callback a subscription write names (MB-G28): sent before the
    /// write is judged, whatever else the write gets wrong.
    private func verifyCallback(_ request: GraphRequest) async -> CallbackVerification? {
        guard request.method == "POST", request.components.count == 2,
            let callback = request.components[1] == "subscriptions"
                ? request.parameters["callback_url"] : request.parameters["override_callback_uri"]
        else { return nil }
        let challenge = String(UInt64.random(in: 1_000_000_000...9_999_999_999))
        let answer = await store.verifier.verify(
            callbackURL: callback, verifyToken: request.parameters["verify_token"] ?? "", challenge: challenge)
        return CallbackVerification(challenge: challenge, answer: answer)
    }

    private func failureReply(_ failure: GraphFailure, traceID: String, headers: [(String, String)]) -> Reply {
        var headers = headers
        if let challenge = failure.wwwAuthenticate { headers.append(("Www-Authenticate", challenge)) }
        return Reply(status: failure.status, body: failure.envelope(fbtraceID: traceID).encoded, headers: headers)
    }

    /// MB-G21. The percentages come from the calls so far against Meta's budgets: an
    /// app gets 200 calls per hour per user (one user here), a WABA 200 management calls per hour,
    /// a Page or Instagram account 4800 calls per day per engaged user (one here). The sandbox
    /// spends no real time, so total_time and total_cputime repeat call_count. A throttled call
    /// reports 100 % and, for a business object, the minutes until access returns.
    private func usageHeader(_ subject: UsageSubject, throttledFor minutes: Int?) -> (String, String) {
        let calls = store.countCall(subject)
        switch subject {
        case .app:
            let percent = minutes == nil ? min(100, calls * 100 / 200) : 100
            let usage: JSONValue = [
                "call_count": .int(percent), "total_cputime": .int(percent), "total_time": .int(percent),
            ]
            return ("X-App-Usage", usage.encoded)
        case .business(let id, let type):
            let budget = type == "whatsapp_business_management" ? 200 : 4800
            let percent = minutes == nil ? min(100, calls * 100 / budget) : 100
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

    private func response(_ reply: Reply) -> Response {
        var fields = HTTPFields()
        for (name, value) in reply.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: reply.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
    }

    private static let htmlErrorPage = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Error</title></head>
        <body><h1>Sorry, something went wrong.</h1><p>We're working on getting this fixed as soon as we can.</p></body>
        </html>
        """
}
