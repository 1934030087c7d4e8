/* basemap_data.c: the Natural Earth files of graphs/basemap/, linked into the library as bytes. */

/* Each file becomes corridor__bm_NAME .. corridor__bm_NAME_end (read-only, hidden). */
#define BASEMAP_FILE(sym, file)                                                                    \
    __asm__(".section .rodata\n"                                                                   \
            ".balign 16\n"                                                                         \
            ".globl " #sym "\n"                                                                    \
            ".hidden " #sym "\n" #sym ":\n"                                                        \
            ".incbin \"graphs/basemap/" file "\"\n"                                                \
            ".globl " #sym "_end\n"                                                                \
            ".hidden " #sym "_end\n" #sym "_end:\n"                                                \
            ".byte 0\n"                                                                            \
            ".previous\n");

BASEMAP_FILE(corridor__bm_land, "land.geojson")
BASEMAP_FILE(corridor__bm_lakes, "lakes.geojson")
BASEMAP_FILE(corridor__bm_borders, "borders.geojson")
BASEMAP_FILE(corridor__bm_countries, "countries.geojson")
BASEMAP_FILE(corridor__bm_world_land, "world-land.geojson")
BASEMAP_FILE(corridor__bm_world_borders, "world-borders.geojson")
