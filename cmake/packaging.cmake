# `cpack -G DEB` in the build folder makes spikelab_VERSION_ARCH.deb from what `cmake --install`
# installs (README.md, "Installing"). dpkg-shlibdeps (Debian's dpkg-dev) reads the binaries and
# declares the libraries they link (Qt, libcurl, libzip, ...); what is loaded at run time
# without being linked is declared here by hand: Qt's platform plugins (without them the window
# cannot open) and, recommended, Debian's Fashion-MNIST, which the default project runs on.
set(CPACK_PACKAGE_NAME spikelab)
set(CPACK_PACKAGE_VENDOR "SpikeLab")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "workbench for spiking neural networks")
set(CPACK_PACKAGE_DESCRIPTION
    "Draw populations of neurons and the projections between them, load MNIST, Fashion-MNIST\n"
    "or N-MNIST, and watch live spike rasters, membrane traces and weight matrices while the\n"
    "simulation runs on the CPU or a CUDA GPU. Includes the headless runner spikelab-cli and\n"
    "example projects.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_PACKAGE_CONTACT "SpikeLab maintainers")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "dataset-fashion-mnist")
if(SPIKELAB_NATIVE)
    message(STATUS "SpikeLab: SPIKELAB_NATIVE is ON, so a package made by cpack runs only on CPUs "
                   "like this one; configure with -DSPIKELAB_NATIVE=OFF for a package to share")
endif()
include(CPack)
