// spikelab-cli fetch DATASET [--dir DIR]: downloads a data set into the user's data folder (or
// DIR) with a progress bar on standard error when it is a terminal, and plain periodic lines
// otherwise. Ctrl-C cancels; the partial file is kept and the next fetch resumes it.
#include "commands.h"

#include "spikelab/download.h"
#include "spikelab/error.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace spikelab::cli {

namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t interrupted = 0;

void onInterrupt(int) {
    interrupted = 1;
}

std::string megabytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / 1e6);
    return text;
}

// Shows DownloadProgress on stderr: a redrawn bar on a terminal, otherwise a line per file at
// every tenth of it (or every 10 s when the size is unknown).
class ProgressPrinter {
public:
    explicit ProgressPrinter(bool terminal) : terminal_(terminal) {}

    void show(const DownloadProgress& p) {
        const auto now = Clock::now();
        const bool newFile = p.file != file_;
        const bool complete = p.total > 0 && p.done >= p.total;
        if (newFile) {
            endLine();
            file_ = p.file;
            lastStep_ = -1;
            lastPrint_ = now;
            if (!terminal_)
                std::fprintf(stderr, "%s: %s%s\n", p.file.c_str(),
                             p.done > 0 ? "resuming at " : "downloading",
                             p.done > 0 ? megabytes(p.done).c_str() : "");
        }
        if (terminal_) {
            if (!newFile && !complete && now - lastPrint_ < std::chrono::milliseconds(100)) return;
            drawBar(p);
            if (complete) endLine();
        } else if (p.total > 0) {
            const int step = int(p.done * 10 / p.total);
            if (step == lastStep_ || (step == 0 && !complete)) return;
            lastStep_ = step;
            std::fprintf(stderr, "%s: %3d%% (%s of %s)\n", p.file.c_str(), step * 10,
                         megabytes(p.done).c_str(), megabytes(p.total).c_str());
        } else if (now - lastPrint_ >= std::chrono::seconds(10)) {
            std::fprintf(stderr, "%s: %s\n", p.file.c_str(), megabytes(p.done).c_str());
        } else {
            return;
        }
        lastPrint_ = now;
        std::fflush(stderr);
    }

    // Ends a bar line that is still open (before a message or at the end).
    void endLine() {
        if (!lineOpen_) return;
        std::fputc('\n', stderr);
        std::fflush(stderr);
        lineOpen_ = false;
    }

private:
    void drawBar(const DownloadProgress& p) {
        constexpr int width = 30;
        std::string bar(width, ' ');
        std::string percent = "    ";
        if (p.total > 0) {
            const int filled = int(std::min<std::uint64_t>(p.done, p.total) * width / p.total);
            for (int i = 0; i < filled; ++i) bar[std::size_t(i)] = '=';
            if (filled < width) bar[std::size_t(filled)] = '>';
            char text[8];
            std::snprintf(text, sizeof text, "%3d%%", int(p.done * 100 / p.total));
            percent = text;
        }
        const std::string amount =
            p.total > 0 ? megabytes(p.done) + " / " + megabytes(p.total) : megabytes(p.done);
        std::fprintf(stderr, "\r%s [%s] %s  %-24s", p.file.c_str(), bar.c_str(), percent.c_str(),
                     amount.c_str());
        lineOpen_ = true;
    }

    bool terminal_;
    bool lineOpen_ = false;
    std::string file_;
    int lastStep_ = -1;
    Clock::time_point lastPrint_{};
};

// Installs the Ctrl-C handler for the lifetime of the object.
class InterruptGuard {
public:
    InterruptGuard() {
        interrupted = 0;
        previous_ = std::signal(SIGINT, &onInterrupt);
    }
    ~InterruptGuard() { std::signal(SIGINT, previous_ == SIG_ERR ? SIG_DFL : previous_); }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

private:
    void (*previous_)(int) = SIG_DFL;
};

} // namespace

int fetchCommand(const Arguments& args) {
    ProgressPrinter printer(::isatty(::fileno(stderr)) == 1);
    DownloadOptions options;
    options.dir = args.dir;
    options.progress = [&](const DownloadProgress& p) { printer.show(p); };
    options.cancelled = [] { return interrupted != 0; };

    DownloadResult result;
    {
        InterruptGuard guard;
        try {
            result = fetchDataset(args.dataset, options);
        } catch (...) {
            printer.endLine();
            throw;
        }
        printer.endLine();
    }
    if (result.alreadyPresent)
        std::printf("%s is already present in %s\n", args.dataset.c_str(), result.dir.c_str());
    else
        std::printf("%s: downloaded %zu file%s; the data set is in %s\n", args.dataset.c_str(),
                    result.downloaded.size(), result.downloaded.size() == 1 ? "" : "s",
                    result.dir.c_str());
    return 0;
}

} // namespace spikelab::cli
