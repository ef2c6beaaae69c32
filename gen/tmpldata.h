/*
 * tmpldata: lets the mustache engine read struct value trees (value.h).
 * Handles are `const struct value *`.
 */
#ifndef JIYUE_TMPLDATA_H
#define JIYUE_TMPLDATA_H

#include "gen/mustache/mustache.h"

extern const struct mu_data value_mu_data;

#endif
