#pragma once
// The base of the dialogs that run one long job on a worker thread (a parameter sweep, a
// training run). It owns what every such dialog shows, the Start and Cancel buttons, a
// progress bar and a status line that turns red on errors, and it runs the job on a thread of
// its own (std::thread, so that ThreadSanitizer sees the job start and end; README, "Tests"):
// Cancel raises a flag the job polls, and closing or destroying the dialog raises it too and
// waits for the job. The subclass lays the widgets out and draws the
// results with the chart helpers below, so the job dialogs' plots look alike.
//
// The job reaches the dialog only through cancelRequested(), post() and progressReporter():
// when the base's destructor waits for it, the subclass's members are already gone, so the
// job works on copies of what it needs.
#include "thread_handoff.h"

#include <QDialog>
#include <QMetaObject>
#include <QSize>
#include <QString>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

class QChart;
class QChartView;
class QColor;
class QLabel;
class QLineSeries;
class QProgressBar;
class QPushButton;
class QScatterSeries;
class QValueAxis;

namespace spikelab::ui {

class JobDialog : public QDialog {
    Q_OBJECT
public:
    ~JobDialog() override;

    bool isRunning() const { return running_.load(); }
    // Asks the running job to stop at its next check; Cancel stays disabled until it ends.
    void cancel();

protected:
    explicit JobDialog(QWidget* parent);

    // Creates the Start and Cancel buttons, the progress bar and the status line. Subclasses
    // call it once, while building, right after their form's fields: widgets join the Tab
    // order as they are created, and Tab should go from the fields to Start and Cancel.
    void createJobControls();
    // The Close button (what Esc does too); created last, it ends the Tab order.
    QPushButton* createCloseButton();

    // Closing (or Esc) cancels a running job and waits for it.
    void done(int result) override;

    // What the Start button does: read the form and start a job (or say why not).
    virtual void startFromForm() = 0;

    // Runs `job` on a worker thread with the cancel flag lowered; Start is disabled and Cancel
    // enabled until setIdle().
    void runJob(std::function<void()> job);
    // After the job's last report (or before the first job): Start enabled when `startable`,
    // Cancel disabled.
    void setIdle(bool startable);

    // For the job: true once cancel() was called or the dialog is closing.
    bool cancelRequested() const { return cancel_.load(); }
    // For the job: runs `call` on the dialog's thread, after everything posted before it.
    template <typename Call> void post(Call call) {
        {
            std::lock_guard lock(postedMutex_);
            posted_.emplace_back(std::move(call));
        }
        emit callsPosted();
    }
    // For the job: a progress callback that moves the bar (range 0 to 1000) to done/total,
    // posting only when the thousandth changes. A bar set busy (range 0 to 0) stays busy.
    std::function<void(std::int64_t done, std::int64_t total)> progressReporter();

    void setStatus(const QString& text, bool error = false);
    QString statusText() const;

    QPushButton* startButton() const { return startButton_; }
    QPushButton* cancelButton() const { return cancelButton_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* statusLabel() const { return status_; }

    // The result charts' look: 2 px lines, 8 px dots (meant for a line's points, in its
    // colour), light grid lines, antialiased views with the theme's background.
    static QLineSeries* lineSeries(const QString& name, const QColor& colour);
    static QScatterSeries* dotSeries(const QColor& colour);
    static QValueAxis* valueAxis(const QString& title, const char* labelFormat);
    static QChart* resultChart(const QString& title, int margin);
    QChartView* chartView(QChart* chart, QSize minimumSize);

signals:
    // Internal: the job posted calls (post()); the signal carries nothing, the calls wait in
    // a mutex-guarded queue (thread_handoff.h says why).
    void callsPosted();

private:
    void cancelAndWait();
    void runPosted();

    QPushButton* startButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    std::atomic<bool> cancel_{false};
    std::thread thread_;
    std::atomic<bool> running_{false};
    std::mutex postedMutex_;
    std::deque<std::function<void()>> posted_;
};

} // namespace spikelab::ui
