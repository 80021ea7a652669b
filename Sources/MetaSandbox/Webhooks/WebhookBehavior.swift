/// How a sandbox webhook backend behaves: a correct one, and the ways public webhook samples get it
/// wrong.
public enum WebhookBehavior: Sendable, Equatable, Hashable {
    /// Echoes the challenge for the right verify token (403 otherwise); accepts events signed with
    /// the app secret (X-Hub-Signature-256 over the raw body), rejects others with 403.
    case correct
    /// Expects another verify token: 403 on every verification.
    case wrongVerifyToken
    /// Serves nothing at the webhook path: 404.
    case notFound
    /// Answers the challenge as a JSON string.
    case jsonChallenge
    /// Answers every GET with an HTML page.
    case htmlPage
    /// Redirects every request.
    case redirect
    /// Answers verification after 6 s, beyond the probe's 5 s deadline.
    case slow
    /// Echoes the challenge whatever the verify token.
    case acceptsAnyVerifyToken
    /// Verifies signatures with another key: rejects Meta's valid ones.
    case rejectsValidSignatures
    /// Accepts events without a signature header.
    case acceptsUnsigned
    /// Checks only the legacy X-Hub-Signature (sha1).
    case checksOnlySHA1
    /// Checks no signature at all: accepts every event.
    case checksNoSignature
    /// Reads X-Hub-Signature-256 without checking it is there: an event without it crashes the
    /// handler (500). Correct otherwise.
    case crashesOnUnsigned
    /// Never answers a GET without hub.* parameters, as Meta's Messenger webhook-setup sample
    /// (MB-W2): the handler ends without a reply and the request hangs. Correct otherwise.
    case silentWithoutHubParameters
    /// Answers events with 500.
    case serverErrorOnEvents
    /// Answers events after 1.5 s.
    case slowEvents
    /// An ngrok edge answering with its error page and the `ngrok-error-code` header (MB-W11).
    case ngrokError(String)
    /// A correct backend behind the ngrok edge of a free plan, which shows its browser warning
    /// (ERR_NGROK_6024) to browser-like requests without `ngrok-skip-browser-warning` (MB-W12).
    case ngrokBrowserWarning
}
