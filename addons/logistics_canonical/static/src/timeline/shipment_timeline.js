/** @odoo-module **/

import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { formatDateTime } from "@web/core/l10n/dates";
import { localization } from "@web/core/l10n/localization";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

const { DateTime } = luxon;

// Enough rows to read a busy day at a glance; the rest one click away.
const FIRST_ROWS = 60;

function parse(iso) {
    return iso ? DateTime.fromISO(iso, { zone: "utc" }).setZone("default") : null;
}

/** A many2one value's id, whichever form the record holds it in. */
function shipmentIdOf(value) {
    return Array.isArray(value) ? value[0] : value?.id;
}

/** "2 h 15 min", "3 d 4 h": a duration people read, never negative. */
export function formatMinutes(minutes) {
    const total = Math.abs(Math.round(minutes));
    const days = Math.floor(total / 1440);
    const hours = Math.floor((total % 1440) / 60);
    const rest = total % 60;
    if (days) {
        return hours ? _t("%(days)s d %(hours)s h", { days, hours }) : _t("%s d", days);
    }
    if (hours) {
        return rest ? _t("%(hours)s h %(minutes)s min", { hours, minutes: rest }) : _t("%s h", hours);
    }
    return _t("%s min", rest);
}

/**
 * The shipment's story at a glance: its stops with the appointment and what
 * happened there, the ETA against the promised delivery, and every milestone
 * by event time (newest first) with its marks. Reads `get_timeline` of the
 * shipment, the same answer the customers' tracking pages render.
 */
export class ShipmentTimeline extends Component {
    static template = "logistics_canonical.ShipmentTimeline";
    static props = { ...standardWidgetProps, shipmentField: { type: String, optional: true } };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ data: null, showAll: false });
        this.loadedFor = null;
        onWillStart(() => this.load(this.props.record));
        onWillUpdateProps((next) => this.load(next.record));
    }

    async load(record) {
        // on a shipment, the record itself; elsewhere (a delivery), the shipment it names
        const field = this.props.shipmentField;
        const shipmentId = field ? shipmentIdOf(record.data[field]) : record.resId;
        // reload when the record is saved or reloaded, not on every keystroke
        const key = `${shipmentId}:${record.data.write_date}:${record.data.milestone_count}`;
        if (key === this.loadedFor) {
            return;
        }
        this.loadedFor = key;
        this.state.data = shipmentId
            ? await this.orm.call("logistics.shipment", "get_timeline", [[shipmentId]])
            : null;
    }

    get milestones() {
        const all = this.state.data.milestones;
        return this.state.showAll ? all : all.slice(0, FIRST_ROWS);
    }

    get hiddenCount() {
        return this.state.data.milestones.length - this.milestones.length;
    }

    /** Milestones grouped by the day they happened (in the user's time zone). */
    get days() {
        const days = [];
        for (const milestone of this.milestones) {
            const moment = parse(milestone.time);
            const key = moment.toISODate();
            if (!days.length || days.at(-1).key !== key) {
                days.push({
                    key,
                    label: moment.toLocaleString({
                        weekday: "long",
                        day: "numeric",
                        month: "long",
                        year: "numeric",
                    }),
                    milestones: [],
                });
            }
            days.at(-1).milestones.push(milestone);
        }
        return days;
    }

    get etaLine() {
        const { eta, promised, slip_minutes: slip, delivered } = this.state.data;
        if (!eta && !promised) {
            return null;
        }
        const late = slip !== null && slip > 0;
        let verdict = "";
        if (slip !== null) {
            if (late) {
                verdict = _t("%s late", formatMinutes(slip));
            } else if (slip < 0) {
                verdict = _t("%s early", formatMinutes(slip));
            } else {
                verdict = _t("on time");
            }
        }
        return {
            label: delivered ? _t("Delivered") : _t("ETA"),
            when: eta ? this.dateTime(eta) : _t("not known yet"),
            promised: promised ? this.dateTime(promised) : "",
            verdict,
            late,
        };
    }

    dateTime(iso) {
        return formatDateTime(parse(iso), { showSeconds: false });
    }

    time(iso) {
        return parse(iso).toFormat(localization.shortTimeFormat);
    }

    appointment(stop) {
        const start = parse(stop.window_start);
        const end = parse(stop.window_end);
        if (start && end && start.hasSame(end, "day")) {
            return `${this.dateTime(stop.window_start)} – ${this.time(stop.window_end)}`;
        }
        return [start, end]
            .filter(Boolean)
            .map((moment) => formatDateTime(moment, { showSeconds: false }))
            .join(" – ");
    }

    stopClass(stop) {
        return {
            "o_timeline_stop_done": stop.state === "done",
            "o_timeline_stop_here": stop.state === "arrived",
            "o_timeline_stop_late": stop.late,
        };
    }

    milestoneClass(milestone) {
        return {
            "o_timeline_retracted": milestone.retracted,
            "o_timeline_duplicate": milestone.duplicate,
            "o_timeline_exception": milestone.category === "exception" && !milestone.retracted,
            "o_timeline_expected": milestone.classifier !== "actual",
        };
    }

    /** What a hover tells: where it came from and how the source said it. */
    origin(milestone) {
        const lines = [_t("Source: %s", milestone.source)];
        if (milestone.raw_code || milestone.raw_text) {
            lines.push(
                _t("Sent as: %s", [milestone.raw_code, milestone.raw_text].filter(Boolean).join(" – "))
            );
        }
        lines.push(_t("Local time: %s", milestone.time_local));
        lines.push(_t("Received: %s", this.dateTime(milestone.received)));
        return lines.join("\n");
    }
}

// <widget name="logistics_timeline"/> on a shipment; on a record that names one,
// <widget name="logistics_timeline" shipment_field="logistics_shipment_id"/>
registry.category("view_widgets").add("logistics_timeline", {
    component: ShipmentTimeline,
    extractProps: ({ attrs }) => ({ shipmentField: attrs.shipment_field }),
    fieldDependencies: ({ attrs }) =>
        attrs.shipment_field
            ? [
                  { name: attrs.shipment_field, type: "many2one" },
                  { name: "write_date", type: "datetime" },
              ]
            : [
                  { name: "write_date", type: "datetime" },
                  { name: "milestone_count", type: "integer" },
              ],
});
