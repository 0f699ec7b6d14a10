// A few checks of the download tests' local HTTP server (http_test_server.h) with a raw socket
// client, so that a failing download test can be told apart from a broken server.
#include "http_test_server.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace spikelab::test {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kIoLimit = std::chrono::seconds(5); // the longest any single wait may last
constexpr int kPollMs = 10;

} // namespace

namespace {

// Sends `request` to the server and returns everything it answers (bounded by kIoLimit).
std::string exchange(int port, const std::string& request) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return "";
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(std::uint16_t(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string answer;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == ssize_t(request.size())) {
        const auto deadline = Clock::now() + kIoLimit;
        while (Clock::now() < deadline) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, kPollMs) <= 0) continue;
            char buffer[4096];
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            answer.append(buffer, std::size_t(n));
        }
    }
    ::close(fd);
    return answer;
}

} // namespace

TEST(DownloadTestServer, ServesFilesRangesAndNotFound) {
    HttpTestServer server;
    const auto bytes = testBytes(1000, 7);
    server.serve("/a/f.bin", bytes);
    EXPECT_EQ(server.url("a/"), "http://127.0.0.1:" + std::to_string(server.port()) + "/a/");

    const std::string whole = exchange(server.port(), "GET /a/f.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(whole.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << whole.substr(0, 80);
    EXPECT_NE(whole.find("Content-Length: 1000\r\n"), std::string::npos);
    EXPECT_EQ(whole.substr(whole.find("\r\n\r\n") + 4), std::string(bytes.begin(), bytes.end()));

    const std::string tail =
        exchange(server.port(), "GET /a/f.bin HTTP/1.1\r\nRange: bytes=990-\r\n\r\n");
    ASSERT_EQ(tail.rfind("HTTP/1.1 206 Partial Content\r\n", 0), 0u);
    EXPECT_NE(tail.find("Content-Range: bytes 990-999/1000\r\n"), std::string::npos);
    EXPECT_EQ(tail.substr(tail.find("\r\n\r\n") + 4),
              std::string(bytes.begin() + 990, bytes.end()));

    EXPECT_EQ(exchange(server.port(), "GET /a/f.bin HTTP/1.1\r\nRange: bytes=1000-\r\n\r\n")
                  .rfind("HTTP/1.1 416", 0),
              0u);
    EXPECT_EQ(exchange(server.port(), "GET /nothing HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404", 0),
              0u);

    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(requests[0].path, "/a/f.bin");
    EXPECT_EQ(requests[0].range, "");
    EXPECT_EQ(requests[1].range, "bytes=990-");
}

TEST(DownloadTestServer, TruncateSendsHalfOfTheAnnouncedLength) {
    HttpTestServer server;
    server.serve("/t.bin", testBytes(400, 3), HttpTestServer::Mode::Truncate);
    const std::string answer = exchange(server.port(), "GET /t.bin HTTP/1.1\r\n\r\n");
    EXPECT_NE(answer.find("Content-Length: 400\r\n"), std::string::npos);
    EXPECT_EQ(answer.size() - (answer.find("\r\n\r\n") + 4), 200u);
}

} // namespace spikelab::test
