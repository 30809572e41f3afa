/* view: the one document every output renders from. build.c turns the
 * validated catalog and the live snapshot into this jansson tree; the HTML
 * and Markdown pages render it through templates, and api/catalog.json is
 * this tree written out (so anything a template shows, the export has).
 *
 * Shape (every list sorted; prices are strings formatted by
 * listing_format_price, "" when unknown, plus *_num numbers or null):
 *
 * {
 *   "site":    {title, base_url, description, language, repository,
 *               version, data_date},           data_date = newest date in data
 *   "blended_definition": "…",                 how "blended" is computed
 *   "layers":  [{id, name, short, description, position (1-based),
 *                vendor_count, vendors: [VENDOR_REF]}],  stack order
 *   "vendors": [VENDOR],                       sorted by id
 *   "models":  [MODEL],                        sorted by id
 *   "offers":  [OFFER],                        sorted by model, blended, vendor
 *   "primers": [{slug, title, summary, order, html, markdown}],
 *   "changes": [CHANGE],                       newest first
 *   "strengths": [{id, label}],
 *   "counts":  {vendors, models, offers, priced_offers, primers},
 *   "map":     MAP
 * }
 * VENDOR_REF = {id, name, summary, spectrum, layer, layer_name,
 *               mermaid_label (name safe to use raw in a Mermaid label)}
 * VENDOR = VENDOR_REF + {homepage, description_html, description_markdown,
 *   spectrum_label, strengths: [{id, label}], docs, pricing_url,
 *   api: {style, base_url, key_env, openai_compatible} | null,
 *   openai_compatible (bool), via: [VENDOR_REF], resells: [VENDOR_REF],
 *   models_made: [{id, name}] (labs), offers: [OFFER], offer_count,
 *   signals: [{kind, kind_label, value_usd, value_label, date, source, note}],
 *   live: {status, at, last_success, stale, error, model_count} | null,
 *   also_listed: [{id, name, context, input, output}]}
 * MODEL = {id, name, lab: VENDOR_REF, open_weights, license, context,
 *   context_label, released, parameters, summary, homepage, source,
 *   offers: [OFFER] cheapest blended first, host_count, cheapest: OFFER|null}
 * OFFER = {vendor_id, vendor_name, layer, layer_name, model_id, model_name,
 *   remote_id, input, output, cached_input, blended, input_num, output_num,
 *   cached_input_num, blended_num, context, context_label, openai_compatible,
 *   origin ("declared" | "live"), source, checked, live_at, stale, note,
 *   declared: {input, output, cached_input, source, checked} (when a live
 *   price differs from the declared one by more than 10%) | null,
 *   cheapest (bool, within its model), has_price (bool)}
 * CHANGE = {date, vendor_id, vendor_name, model_id, kind, summary, old, new}
 * MAP = {width, height, bands: [{layer, name, y, height, label_y}],
 *        boxes: [{id, name, label, href, x, y, width, height, text_x,
 *                 text_y, title, spectrum}],  label: name cut to fit
 *        axis: [{x, label}], columns: [{x, width}]}
 *
 * Ownership: view_build returns a new reference the caller decrefs. */
#ifndef STACKMAP_VIEW_H
#define STACKMAP_VIEW_H

#include <jansson.h>

#include "catalog.h"

/* snapshot may be NULL (no live data). Never fails except on OOM. */
json_t *view_build(const struct catalog *cat, json_t *snapshot);

#endif
