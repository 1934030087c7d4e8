/* cmd_pareto.c: `corridor route --pareto`: Pareto sets as a table and as CSV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MINUS "\xe2\x88\x92" /* U+2212, as in "-US$310" typeset */

/* Column heading of a criterion. */
static const char *heading(corridor_criterion c)
{
    static const char *const h[] = {"time", "cost $", "km", "CO2 kg", "transfers", "borders"};
    return h[c];
}

/* A criterion's value as the route table writes it. */
static void fmt_value(char *buf, size_t n, corridor_criterion c, double v)
{
    if (c == CORRIDOR_CRIT_TIME)
        cli_fmt_duration(buf, n, v);
    else
        cli_fmt_number(buf, n, v, 0);
}

/* One criterion's change, "+1d 04h", "-US$310", "+120 km", "-1 transfer"; "" if none. */
static void fmt_delta(char *buf, size_t n, corridor_criterion c, double d)
{
    char num[32];
    const char *sign = d < 0 ? MINUS : "+";
    double a = fabs(d);
    buf[0] = '\0';
    if (d == 0.0 || isnan(d))
        return;
    if (c == CORRIDOR_CRIT_TIME) {
        cli_fmt_duration(num, sizeof num, a);
        snprintf(buf, n, "%s%s", sign, num);
        return;
    }
    cli_fmt_number(num, sizeof num, a, 0);
    switch (c) {
    case CORRIDOR_CRIT_COST:
        snprintf(buf, n, "%sUS$%s", sign, num);
        break;
    case CORRIDOR_CRIT_DISTANCE:
        snprintf(buf, n, "%s%s km", sign, num);
        break;
    case CORRIDOR_CRIT_CO2:
        snprintf(buf, n, "%s%s kg CO2", sign, num);
        break;
    case CORRIDOR_CRIT_TRANSFERS:
        snprintf(buf, n, "%s%s transfer%s", sign, num, a == 1.0 ? "" : "s");
        break;
    default:
        snprintf(buf, n, "%s%s border%s", sign, num, a == 1.0 ? "" : "s");
        break;
    }
}

/* Option o's trade-off against option o - 1: the changes joined by ", " ("-" for the first). */
static void fmt_tradeoff(char *buf, size_t n, const corridor_pareto *p, size_t o)
{
    const corridor_route *r = &p->routes->routes[p->first[o]];
    size_t len = 0;
    snprintf(buf, n, "-");
    if (o == 0)
        return;
    const corridor_route *prev = &p->routes->routes[p->first[o - 1]];
    for (size_t k = 0; k < p->n_criteria && len < n; k++) {
        char d[64];
        corridor_criterion c = p->criteria[k];
        fmt_delta(d, sizeof d, c,
                  corridor_route_criterion(r, c) - corridor_route_criterion(prev, c));
        if (d[0])
            len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", d);
    }
}

void cli_pareto_table(const cli *c, const corridor_pareto *p)
{
    char label[64], trade[256], path[2048], v[32];
    const corridor_route *r0 = &p->routes->routes[0];
    size_t width = strlen("trade-off");
    printf("Pareto options from %s to %s: %s, ", r0->node_names[0], r0->node_names[r0->n_nodes - 1],
           corridor_commodity_name(p->routes->carry));
    for (size_t k = 0; k < p->n_criteria; k++)
        printf("%s%s",
               k == 0                   ? ""
               : k + 1 == p->n_criteria ? " and "
                                        : ", ",
               corridor_criterion_name(p->criteria[k]));
    printf(", %s\n\n", cli_filter_label(c, label, sizeof label));
    for (size_t o = 0; o < p->n_options; o++) {
        fmt_tradeoff(trade, sizeof trade, p, o);
        if (cli_u8len(trade) > width)
            width = cli_u8len(trade);
    }
    printf("%2s", "#");
    for (size_t k = 0; k < p->n_criteria; k++)
        printf("  %9s", heading(p->criteria[k]));
    printf("  %6s  %-*s  %s\n", "routes", (int)width, "trade-off", "path");
    for (size_t o = 0; o < p->n_options; o++) {
        const corridor_route *r = &p->routes->routes[p->first[o]];
        printf("%2zu", o + 1);
        for (size_t k = 0; k < p->n_criteria; k++) {
            fmt_value(v, sizeof v, p->criteria[k], corridor_route_criterion(r, p->criteria[k]));
            printf("  %9s", v);
        }
        fmt_tradeoff(trade, sizeof trade, p, o);
        cli_route_path(path, sizeof path, r);
        printf("  %6zu  %s%*s  %s\n", p->first[o + 1] - p->first[o], trade,
               (int)(width - cli_u8len(trade)), "", path);
    }
    printf("\n");
    if (p->cut == CORRIDOR_PARETO_CAP)
        printf("More Pareto-optimal options exist: these are the first %zu (--max); the set is "
               "incomplete.\n",
               p->n_options);
    else if (p->cut == CORRIDOR_PARETO_LIMIT)
        printf("The search limit stopped the search: the set is incomplete.\n");
    else
        printf("Every Pareto-optimal option: no route beats one of these on all %zu criteria "
               "(%zu partial routes searched).\n",
               p->n_criteria, p->labels);
    printf("Ordered by %s; each trade-off is against the option above. \"routes\": routes with "
           "exactly these values (--format json lists them).\n",
           corridor_criterion_name(p->criteria[0]));
}

void cli_pareto_csv(const corridor_pareto *p)
{
    printf("option,routes,time_h,cost_usd,distance_km,co2_kg,transfers,borders");
    for (size_t k = 0; k < p->n_criteria; k++)
        printf(",change_%s", corridor_criterion_name(p->criteria[k]));
    printf(",countries,corridors,nodes,edges\n");
    for (size_t o = 0; o < p->n_options; o++) {
        const corridor_route *prev = o ? &p->routes->routes[p->first[o - 1]] : NULL;
        for (size_t i = p->first[o]; i < p->first[o + 1]; i++) {
            const corridor_route *r = &p->routes->routes[i];
            printf("%zu,%zu", o + 1, p->first[o + 1] - p->first[o]);
            for (int m = 0; m < CORRIDOR_METRIC_COUNT; m++)
                printf(isnan(r->metric[m]) ? "," : ",%.10g", r->metric[m]);
            printf(",%zu,%zu", r->n_transfers, r->borders);
            for (size_t k = 0; k < p->n_criteria; k++) {
                corridor_criterion c = p->criteria[k];
                if (prev)
                    printf(",%.10g",
                           corridor_route_criterion(r, c) - corridor_route_criterion(prev, c));
                else
                    printf(",");
            }
            printf(",");
            cli_route_csv_lists(r);
            printf("\n");
        }
    }
}
