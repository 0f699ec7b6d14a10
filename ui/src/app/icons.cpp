#include "icons.h"

#include <QFile>

#include <mutex>

// Resources of a static library are not registered by merely linking it: the first use does
// it. Outside any namespace, as Q_INIT_RESOURCE requires.
static void registerSpikeLabResources() {
    static std::once_flag once;
    std::call_once(once, [] { Q_INIT_RESOURCE(spikelab); });
}

namespace spikelab::ui {

QIcon appIcon() {
    registerSpikeLabResources();
    return QIcon(":/spikelab/icons/spikelab.svg");
}

QIcon actionIcon(const QString& themeName, const QString& bundled) {
    registerSpikeLabResources();
    return QIcon::fromTheme(themeName, QIcon(":/spikelab/icons/actions/" + bundled + ".svg"));
}

QString paletteGlyph(const std::string& name) {
    registerSpikeLabResources();
    const QString path = ":/spikelab/icons/palette/" + QString::fromStdString(name) + ".svg";
    return QFile::exists(path) ? path : QString();
}

} // namespace spikelab::ui
