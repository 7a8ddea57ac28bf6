// An empty translation unit: the layer checks in core/CMakeLists.txt link a library alone into a
// shared object.
