/// A typed fact a probe hands to its dependents (an app token, a debug_token reply), so no request
/// is made twice in a run. Declare one as a caseless enum naming the value type:
///
/// ```swift
/// enum AppAccessToken: FactKey { typealias Value = Secret }
/// ```
public protocol FactKey {
    associatedtype Value: Sendable
}

/// A heterogeneous, typed map of facts.
public struct Facts: Sendable {
    private var storage: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    public subscript<Key: FactKey>(_ key: Key.Type) -> Key.Value? {
        get { storage[ObjectIdentifier(key)] as? Key.Value }
        set { storage[ObjectIdentifier(key)] = newValue }
    }

    /// Returns a copy with `fact` set.
    public func with<Key: FactKey>(_ key: Key.Type, _ value: Key.Value) -> Facts {
        var copy = self
        copy[key] = value
        return copy
    }

    /// Adds every fact of `other`; on a clash `other` wins.
    public mutating func merge(_ other: Facts) {
        storage.merge(other.storage) { _, new in new }
    }
}
