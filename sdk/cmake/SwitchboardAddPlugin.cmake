# switchboard_add_plugin(<target>
#     KIND agent|workflow|storage|tools
#     SOURCES <file>...
#     MANIFEST <plugin.json>
#     [CONFIG_SCHEMA <config.schema.json>]
#     [OUTPUT_DIR <dir>]          # default: ${CMAKE_CURRENT_BINARY_DIR}/<target>
#     [INSTALL_DIR <dir>])        # when given, install the plugin folder there
#
# Builds a loadable module named after the manifest's "library" field (plus .so) with
# hidden visibility, and places it next to its manifest (and config schema) in OUTPUT_DIR,
# which is then a plugin folder the gateway loads with --plugin-dir.
include_guard(GLOBAL)

function(switchboard_add_plugin target)
  cmake_parse_arguments(ARG "" "KIND;MANIFEST;CONFIG_SCHEMA;OUTPUT_DIR;INSTALL_DIR" "SOURCES" ${ARGN})
  if(NOT ARG_KIND OR NOT ARG_SOURCES OR NOT ARG_MANIFEST)
    message(FATAL_ERROR "switchboard_add_plugin(${target}): KIND, SOURCES and MANIFEST are required")
  endif()
  if(NOT ARG_KIND MATCHES "^(agent|workflow|storage|tools)$")
    message(FATAL_ERROR "switchboard_add_plugin(${target}): unknown KIND '${ARG_KIND}'")
  endif()
  get_filename_component(manifest ${ARG_MANIFEST} ABSOLUTE)
  file(READ ${manifest} manifest_text)
  string(JSON library GET "${manifest_text}" library)
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/${target})
  endif()

  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE switchboard::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${library}
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    CXX_STANDARD 20
    CXX_STANDARD_REQUIRED ON)
  # Fail at link time, not at load time, on an unresolved symbol of the plugin's own.
  target_link_options(${target} PRIVATE -Wl,--no-undefined)

  configure_file(${manifest} ${ARG_OUTPUT_DIR}/plugin.json COPYONLY)
  set(files ${manifest})
  if(ARG_CONFIG_SCHEMA)
    get_filename_component(schema ${ARG_CONFIG_SCHEMA} ABSOLUTE)
    get_filename_component(schema_name ${schema} NAME)
    configure_file(${schema} ${ARG_OUTPUT_DIR}/${schema_name} COPYONLY)
    list(APPEND files ${schema})
  endif()

  if(ARG_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION ${ARG_INSTALL_DIR})
    install(FILES ${manifest} DESTINATION ${ARG_INSTALL_DIR})
    if(ARG_CONFIG_SCHEMA)
      install(FILES ${schema} DESTINATION ${ARG_INSTALL_DIR})
    endif()
  endif()
endfunction()
