/* schematic_internal.h: the octilinear line-diagram layout of the schematic view (schematic.c). */
#ifndef CORRIDOR_SCHEMATIC_INTERNAL_H
#define CORRIDOR_SCHEMATIC_INTERNAL_H

#include <stddef.h>

/**
 * Lays out `n` places joined by `npairs` lines (pairs[2k], pairs[2k+1], indices
 * below n; repeated pairs and loops are allowed and ignored) as a line diagram:
 * every place on its own point of a square grid, lines at multiples of 45
 * degrees where possible, about two grid steps long, not crossing where avoidable,
 * each line keeping roughly its direction in the input positions.
 * x, y: the input positions (any unit, y up; e.g. projected coordinates) on
 * entry; grid coordinates (whole numbers, one unit per grid step) on return.
 * `effort` bounds the work (about that many elementary steps; 0: a default);
 * beyond it the places are only snapped to the grid. See schematic.c for the
 * method. CORRIDOR_ENOMEM on allocation failure.
 * Time: O(n log n) for the snapping, O(effort) for the refinement.
 */
int corridor__octi_layout(double *x, double *y, size_t n, const size_t *pairs, size_t npairs,
                          double effort);

/**
 * The bend of a line from place a to place b of a corridor__octi_layout result:
 * 0 if the straight line is octilinear, else 1 and (*bx, *by) the corner of the
 * two octilinear pieces (a diagonal and a straight one) chosen so that the
 * pieces cross the fewest other lines and pass over no place where possible.
 * Time: O(npairs + n).
 */
int corridor__octi_bend(double *bx, double *by, const double *x, const double *y, size_t n,
                        const size_t *pairs, size_t npairs, size_t a, size_t b);

/** 1 if the vector (dx, dy) is at a multiple of 45 degrees, within `deg` degrees. */
int corridor__octi_is(double dx, double dy, double deg);

/**
 * Starting positions: igraph's Kamada-Kawai layout of the n places and npairs
 * lines, written to x, y. use_seed: from the positions in x, y (projected
 * coordinates), with springs as long as the square root of each line's input
 * length and places pushed at least `spread` median lines apart, so that dense
 * clusters open up and geography stays; else from a
 * circle (places without coordinates), so the result is the same on every run. Errors:
 * CORRIDOR_ENOMEM, CORRIDOR_EINTERNAL. Time: O(n^2) per iteration, at most 50 n + 100 iterations.
 */
int corridor__octi_seed(double *x, double *y, size_t n, const size_t *pairs, size_t npairs,
                        int use_seed, double spread);

/**
 * The number of pairs of lines (pairs as for corridor__octi_layout) that cross
 * or overlap as straight lines between places x, y (grid coordinates), lines
 * sharing a place not counted. Time: O(npairs^2).
 */
size_t corridor__octi_crossings(const double *x, const double *y, size_t n, const size_t *pairs,
                                size_t npairs);

#endif
