import Foundation

/// Reads the files a user names (`--env-file`, `--ca-file`, `report FILE`) only when they are
/// regular files, bounded in size. A FIFO, a socket or a device is refused at once: reading one
/// could block forever or never end. `/dev/null` alone reads as empty, the usual way to say "no file".
public enum RegularFile {
    /// The file's bytes; throws `FileReadError` naming what is wrong.
    public static func read(_ path: String, maxBytes: Int) throws(FileReadError) -> Data {
        if isDevNull(path) { return Data() }
        let descriptor = try openRegular(path)
        defer { close(descriptor) }
        var data = Data()
        try forEachChunk(of: descriptor) { chunk throws(FileReadError) in
            data.append(contentsOf: chunk)
            return data.count <= maxBytes
        }
        guard data.count <= maxBytes else { throw FileReadError(reason: "it is larger than \(sizeText(maxBytes))") }
        return data
    }

    /// Where a line is in its file: its number (from 1) and the byte offset of its first byte.
    public struct LinePosition: Sendable, Equatable {
        public let number: Int
        public let offset: Int
    }

    /// Reads the file in 64 KiB chunks and gives `body` each complete line (without its newline)
    /// and where it is, holding at most one line in memory. A last line with no newline is given
    /// only with `includingUnterminated` (a file a person wrote); otherwise it counts as cut short.
    /// Throws `FileReadError` naming the line longer than `maxLineBytes`, a file larger than
    /// `maxBytes` (counted as it is read, so a file growing meanwhile is caught too), or the file's error.
    public static func forEachLine(
        _ path: String, maxBytes: Int, maxLineBytes: Int, includingUnterminated: Bool = false, _ body: (Data, LinePosition) -> Void
    ) throws(FileReadError) {
        if isDevNull(path) { return }
        let descriptor = try openRegular(path)
        defer { close(descriptor) }
        // Refused before any line when already too large; counted while reading too, for a file
        // that grows meanwhile.
        var info = stat()
        if fstat(descriptor, &info) == 0, Int(info.st_size) > maxBytes {
            throw FileReadError(reason: "it is larger than \(sizeText(maxBytes))")
        }
        var pending = Data()
        var number = 0
        var offset = 0
        var total = 0
        try forEachChunk(of: descriptor) { bytes throws(FileReadError) in
            total += bytes.count
            guard total <= maxBytes else { throw FileReadError(reason: "it is larger than \(sizeText(maxBytes))") }
            var chunk = bytes
            while let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
                number += 1
                let piece = chunk[chunk.startIndex..<newline]
                guard pending.count + piece.count <= maxLineBytes else {
                    throw FileReadError(reason: "line \(number) is longer than \(sizeText(maxLineBytes))")
                }
                pending.append(contentsOf: piece)
                body(pending, LinePosition(number: number, offset: offset))
                offset += pending.count + 1
                pending.removeAll(keepingCapacity: true)
                chunk = chunk[chunk.index(after: newline)...]
            }
            guard pending.count + chunk.count <= maxLineBytes else {
                throw FileReadError(reason: "line \(number + 1) is longer than \(sizeText(maxLineBytes))")
            }
            pending.append(contentsOf: chunk)
            return true
        }
        if includingUnterminated, !pending.isEmpty { body(pending, LinePosition(number: number + 1, offset: offset)) }
    }

    /// `length` bytes of the file from `offset` (a line found by `forEachLine`), fewer at its end.
    public static func read(_ path: String, offset: Int, length: Int) throws(FileReadError) -> Data {
        let descriptor = try openRegular(path)
        if length <= 0 {
            close(descriptor)
            return Data()
        }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: length)
        var filled = 0
        while filled < length {
            let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, length - filled, off_t(offset + filled)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadError(reason: describe(errno: errno))
            }
            if count == 0 { break }
            filled += count
        }
        return Data(bytes[0..<filled])
    }

    /// Opens `path` for reading only if it is a regular file (the caller closes the descriptor).
    /// O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one.
    private static func openRegular(_ path: String) throws(FileReadError) -> Int32 {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileReadError(reason: describe(errno: errno)) }
        var info = stat()
        let reason = fstat(descriptor, &info) == 0 ? nonRegularReason(info.st_mode) : describe(errno: errno)
        guard let reason else { return descriptor }
        close(descriptor)
        throw FileReadError(reason: reason)
    }

    /// Reads `descriptor` 64 KiB at a time, giving `body` each chunk, until the end or until
    /// `body` returns false.
    private static func forEachChunk(
        of descriptor: Int32, _ body: (ArraySlice<UInt8>) throws(FileReadError) -> Bool
    ) throws(FileReadError) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadError(reason: describe(errno: errno))
            }
            guard count > 0, try body(buffer[0..<count]) else { return }
        }
    }

    /// Whether nothing at all is at `path`, not even a dangling symbolic link.
    public static func isAbsent(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) != 0 && errno == ENOENT
    }

    /// Why `path` cannot be read as a regular file, or nil when it can (without reading it).
    public static func problem(_ path: String) -> String? {
        if isDevNull(path) { return nil }
        var info = stat()
        guard stat(path, &info) == 0 else { return describe(errno: errno) }
        if let reason = nonRegularReason(info.st_mode) { return reason }
        guard access(path, R_OK) == 0 else { return describe(errno: errno) }
        return nil
    }

    static func nonRegularReason(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "it is a directory"
        case S_IFIFO: "it is a FIFO (named pipe), not a regular file"
        case S_IFSOCK: "it is a socket, not a regular file"
        case S_IFCHR: "it is a character device, not a regular file"
        case S_IFBLK: "it is a block device, not a regular file"
        default: "it is not a regular file"
        }
    }

    static func isDevNull(_ path: String) -> Bool {
        var info = stat()
        var null = stat()
        guard stat(path, &info) == 0, stat("/dev/null", &null) == 0 else { return false }
        return info.st_mode & S_IFMT == S_IFCHR && info.st_rdev == null.st_rdev
    }

    /// A short reason for an `errno` value ("no such file", "permission denied").
    public static func describeErrno(_ code: Int32) -> String { describe(errno: code) }

    static func describe(errno code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES, EPERM: "permission denied"
        case EISDIR: "it is a directory"
        case ENXIO: "it is a socket or a device, not a regular file"
        case ENOTDIR: "a part of the path is not a directory"
        default: String(cString: strerror(code))
        }
    }

    static func sizeText(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }
}

/// Why a file cannot be read or written: a short reason, never the file's content.
public struct FileReadError: Error, Equatable, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }

    /// A short reason for any file error (Foundation's or ours).
    public static func describe(_ error: any Error) -> String {
        if let error = error as? FileReadError { return error.reason }
        let nsError = error as NSError
        if let posix = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return RegularFile.describe(errno: Int32(posix.code))
        }
        if nsError.domain == NSPOSIXErrorDomain { return RegularFile.describe(errno: Int32(nsError.code)) }
        return nsError.localizedDescription
    }
}
