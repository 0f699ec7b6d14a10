#pragma once
// Waits, processing events, until `condition` holds or `ms` pass; true when it held.
#include <QElapsedTimer>
#include <QtTest>

#include <functional>

inline bool waitFor(const std::function<bool()>& condition, int ms = 30000) {
    QElapsedTimer t;
    t.start();
    while (!condition()) {
        if (t.elapsed() > ms) return false;
        QTest::qWait(5);
    }
    return true;
}
