#ifndef OUTDIAL_CYAML_SHIM_H
#define OUTDIAL_CYAML_SHIM_H
#include <yaml.h>
#endif
