import MetaGraph

/// Makes two independent Graph calls at the same time (one round trip) and returns both outcomes,
/// so a probe can judge the first and still use, or ignore, the second.
func bothCalls<First: Sendable, Second: Sendable>(
    _ first: @escaping @Sendable () async throws(GraphError) -> First,
    _ second: @escaping @Sendable () async throws(GraphError) -> Second
) async -> (Result<First, GraphError>, Result<Second, GraphError>) {
    async let firstResult = outcome(first)
    async let secondResult = outcome(second)
    return await (firstResult, secondResult)
}

private func outcome<Value: Sendable>(_ call: @Sendable () async throws(GraphError) -> Value) async -> Result<Value, GraphError> {
    do throws(GraphError) { return .success(try await call()) } catch { return .failure(error) }
}
