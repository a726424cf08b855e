/**
 * @file pledger.h
 * @brief The umbrella header: include this one.
 *
 * pledger keeps a registry of pledges (and mortgages) over trademarks,
 * patents, accounts receivable, equity, pollutant discharge rights,
 * sea-area use rights and rural land management rights.
 */
#ifndef PLEDGER_PLEDGER_H
#define PLEDGER_PLEDGER_H

#include <pledger/version.h>
#include <pledger/common.h>
#include <pledger/types.h>
#include <pledger/ident.h>
#include <pledger/money.h>
#include <pledger/log.h>
#include <pledger/registry.h>
#include <pledger/application.h>
#include <pledger/pledge.h>
#include <pledger/refreg.h>
#include <pledger/review.h>
#include <pledger/query.h>
#include <pledger/evidence.h>
#include <pledger/exchange.h>
#include <pledger/report.h>

#endif /* PLEDGER_PLEDGER_H */
