#pragma once
// A tiny HTTP/1.1 server for the download tests: plain POSIX sockets and one thread, bound to
// 127.0.0.1 on a port the system picks, serving in-memory files. It answers one connection at a
// time and closes each after one response. Every wait is bounded, and the destructor stops it.
//
// Implemented in http_test_server.cpp, which tests/CMakeLists.txt adds to engine_tests and to
// the workbench's data set dialog test; test_http_server.cpp tests the server itself.
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace spikelab::test {

class HttpTestServer {
public:
    enum class Mode {
        Normal,      // 200 with the file, or 206 + Content-Range for "Range: bytes=N-"
        Truncate,    // announces the full Content-Length, sends half of the body, closes
        Stall,       // like Truncate, but then keeps the connection open until the client leaves
        Corrupt,     // the right length, every byte inverted (a checksum mismatch)
        IgnoreRange, // always 200 with the whole file, whatever the Range header says
    };
    struct Request {
        std::string method, path;
        std::string range; // the Range header's value, "" when there was none
    };

    HttpTestServer(); // throws std::runtime_error when no socket can be opened
    ~HttpTestServer();
    HttpTestServer(const HttpTestServer&) = delete;
    HttpTestServer& operator=(const HttpTestServer&) = delete;

    // Serves `bytes` at `path` (starting with '/'); unknown paths get 404.
    void serve(const std::string& path, std::vector<std::uint8_t> bytes, Mode mode = Mode::Normal);
    // "http://127.0.0.1:PORT/" followed by `prefix`.
    std::string url(const std::string& prefix = "") const;
    int port() const { return port_; }
    // Every request received so far, in order.
    std::vector<Request> requests() const;

private:
    struct File {
        std::vector<std::uint8_t> bytes;
        Mode mode = Mode::Normal;
    };
    void run();
    void handle(int fd);
    bool sendAll(int fd, const std::uint8_t* data, std::size_t size);
    void waitForClose(int fd);

    int listenFd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::map<std::string, File> files_;
    std::vector<Request> requests_;
    std::thread thread_;
};

// Deterministic pseudo-random bytes for test files.
std::vector<std::uint8_t> testBytes(std::size_t size, std::uint32_t seed);

} // namespace spikelab::test
