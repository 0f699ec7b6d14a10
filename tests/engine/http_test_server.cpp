// The download tests' local HTTP server (http_test_server.h). Its own checks are in
// test_http_server.cpp; the engine's download tests and the workbench's data set dialog test
// link it.
#include "http_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace spikelab::test {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kIoLimit = std::chrono::seconds(5); // the longest any single wait may last
constexpr int kPollMs = 10;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

// "bytes=N-" -> N; -1 when the value has another form.
long long rangeStart(const std::string& value) {
    const std::string prefix = "bytes=";
    if (value.rfind(prefix, 0) != 0 || value.empty() || value.back() != '-') return -1;
    const std::string digits = value.substr(prefix.size(), value.size() - prefix.size() - 1);
    if (digits.empty() || digits.size() > 18 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return -1;
    return std::atoll(digits.c_str());
}

} // namespace

std::vector<std::uint8_t> testBytes(std::size_t size, std::uint32_t seed) {
    std::vector<std::uint8_t> bytes(size);
    std::uint32_t state = seed * 2654435761u + 1u;
    for (auto& b : bytes) {
        state = state * 1664525u + 1013904223u;
        b = std::uint8_t(state >> 24);
    }
    return bytes;
}

HttpTestServer::HttpTestServer() {
    listenFd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listenFd_ < 0) throw std::runtime_error("test server: socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;                             // ephemeral
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK); // 127.0.0.1 only
    socklen_t length = sizeof address;
    if (::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listenFd_, 8) != 0 ||
        ::getsockname(listenFd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(listenFd_);
        throw std::runtime_error("test server: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { run(); });
}

HttpTestServer::~HttpTestServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    ::close(listenFd_);
}

void HttpTestServer::serve(const std::string& path, std::vector<std::uint8_t> bytes, Mode mode) {
    std::lock_guard lock(mutex_);
    files_[path] = File{std::move(bytes), mode};
}

std::string HttpTestServer::url(const std::string& prefix) const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/" + prefix;
}

std::vector<HttpTestServer::Request> HttpTestServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

void HttpTestServer::run() {
    while (!stop_) {
        pollfd p{listenFd_, POLLIN, 0};
        if (::poll(&p, 1, kPollMs) <= 0) continue;
        const int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        handle(fd);
        ::close(fd);
    }
}

bool HttpTestServer::sendAll(int fd, const std::uint8_t* data, std::size_t size) {
    const auto deadline = Clock::now() + kIoLimit;
    while (size > 0 && !stop_ && Clock::now() < deadline) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, kPollMs) <= 0) continue;
        const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
        if (sent <= 0) return false;
        data += sent;
        size -= std::size_t(sent);
    }
    return size == 0;
}

void HttpTestServer::waitForClose(int fd) {
    const auto deadline = Clock::now() + kIoLimit;
    char buffer[256];
    while (!stop_ && Clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, kPollMs) <= 0) continue;
        if (::recv(fd, buffer, sizeof buffer, 0) <= 0) return;
    }
}

void HttpTestServer::handle(int fd) {
    // Read the request head: at most 16 KiB, for at most kIoLimit.
    std::string head;
    const auto deadline = Clock::now() + kIoLimit;
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 16384 && !stop_ &&
           Clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, kPollMs) <= 0) continue;
        char buffer[4096];
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) return;
        head.append(buffer, std::size_t(n));
    }
    const auto headEnd = head.find("\r\n\r\n");
    if (headEnd == std::string::npos) return;

    Request request;
    std::size_t lineStart = 0;
    for (bool first = true; lineStart < headEnd; first = false) {
        const std::size_t lineEnd = head.find("\r\n", lineStart);
        const std::string line = head.substr(lineStart, lineEnd - lineStart);
        lineStart = lineEnd + 2;
        if (first) {
            const auto a = line.find(' '), b = line.rfind(' ');
            if (a == std::string::npos || b <= a) return;
            request.method = line.substr(0, a);
            request.path = line.substr(a + 1, b - a - 1);
        } else if (lower(line).rfind("range:", 0) == 0) {
            const auto v = line.find_first_not_of(' ', 6);
            request.range = v == std::string::npos ? "" : line.substr(v);
        }
    }
    File file;
    bool found = false;
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
        if (auto it = files_.find(request.path); it != files_.end()) {
            file = it->second;
            found = true;
        }
    }
    auto reply = [&](const std::string& status, const std::string& extra,
                     const std::vector<std::uint8_t>& body, std::size_t bodyBytes) {
        const std::string header = "HTTP/1.1 " + status +
                                   "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
                                   extra + "Connection: close\r\n\r\n";
        if (!sendAll(fd, reinterpret_cast<const std::uint8_t*>(header.data()), header.size()))
            return false;
        return sendAll(fd, body.data(), bodyBytes);
    };
    if (!found) {
        reply("404 Not Found", "", {}, 0);
        return;
    }
    if (request.method != "GET") {
        reply("405 Method Not Allowed", "", {}, 0);
        return;
    }
    const std::size_t size = file.bytes.size();
    long long start =
        request.range.empty() || file.mode == Mode::IgnoreRange ? 0 : rangeStart(request.range);
    if (start < 0) start = 0; // a form this server does not support: the whole file
    if (std::size_t(start) >= size && start > 0) {
        reply("416 Range Not Satisfiable",
              "Content-Range: bytes */" + std::to_string(size) + "\r\n", {}, 0);
        return;
    }
    std::vector<std::uint8_t> body(file.bytes.begin() + start, file.bytes.end());
    if (file.mode == Mode::Corrupt)
        for (auto& b : body) b = std::uint8_t(~b);
    const bool cut = file.mode == Mode::Truncate || file.mode == Mode::Stall;
    const std::size_t bodyBytes = cut ? body.size() / 2 : body.size();
    const bool sent =
        start > 0 ? reply("206 Partial Content",
                          "Content-Range: bytes " + std::to_string(start) + "-" +
                              std::to_string(size - 1) + "/" + std::to_string(size) + "\r\n",
                          body, bodyBytes)
                  : reply("200 OK", "", body, bodyBytes);
    if (sent && file.mode == Mode::Stall) waitForClose(fd);
}

} // namespace spikelab::test
