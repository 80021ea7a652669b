/// Lets `count` tasks wait until all of them have arrived: proof that they ran at the same time,
/// without measuring time.
public actor Barrier {
    private let count: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    public private(set) var maxArrived = 0

    public init(count: Int) { self.count = count }

    public func arriveAndWait() async {
        arrived += 1
        maxArrived = max(maxArrived, arrived)
        if arrived >= count {
            for continuation in waiting { continuation.resume() }
            waiting.removeAll()
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}

/// Counts how many operations run at once.
public actor InFlightCounter {
    public private(set) var current = 0
    public private(set) var maximum = 0

    public init() {}

    public func enter() {
        current += 1
        maximum = max(maximum, current)
    }

    public func leave() { current -= 1 }
}
