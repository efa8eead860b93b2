// The platform's C library, imported once for every module that uses POSIX calls: a module that
// imports OutdialBase sees `open`, `errno`, `EINTR`, ... without its own `#if canImport` block.
#if canImport(Glibc)
    @_exported import Glibc
#elseif canImport(Musl)
    @_exported import Musl
#elseif canImport(Darwin)
    @_exported import Darwin
#endif
