/* gis_dl.h: GDAL/OGR and PROJ, loaded when a command first needs them rather than at start-up. */
#ifndef CORRIDOR_GIS_DL_H
#define CORRIDOR_GIS_DL_H

/*
 * Linking GDAL and PROJ costs every process about 40 ms of CPU and 29 MB of
 * resident memory before main (they bring some 95 shared libraries), while
 * most commands (route, matrix, batch, ...) never call them. So the library
 * calls them through a table filled by dlopen and dlsym at the first use
 * (gis_dl.c). A file that calls them includes this header instead of theirs:
 * it includes theirs, then turns each name used into an entry of the table,
 * so the calls read as before. A function not listed here is an undefined
 * reference at link time (the programs do not link GDAL or PROJ): add it to
 * the list. The table's types are the headers' own (__typeof__).
 */
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <geodesic.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <proj.h>

/* the functions of libgdal and of libproj that corridor calls */
// clang-format off
#define COR_GDAL_FUNCS(X) \
    X(CPLErrorReset) \
    X(CPLGetLastErrorMsg) \
    X(CPLGetLastErrorType) \
    X(CPLGetThreadLocalConfigOption) \
    X(CPLPopErrorHandler) \
    X(CPLPushErrorHandler) \
    X(CPLQuietErrorHandler) \
    X(CPLSetThreadLocalConfigOption) \
    X(CSLAddString) \
    X(CSLDestroy) \
    X(CSLRemoveStrings) \
    X(CSLSetNameValue) \
    X(CSLTokenizeString2) \
    X(GDALAllRegister) \
    X(GDALClose) \
    X(GDALCreate) \
    X(GDALDatasetCommitTransaction) \
    X(GDALDatasetCreateLayer) \
    X(GDALDatasetGetLayer) \
    X(GDALDatasetGetLayerCount) \
    X(GDALDatasetGetNextFeature) \
    X(GDALDatasetResetReading) \
    X(GDALDatasetStartTransaction) \
    X(GDALGetDatasetDriver) \
    X(GDALGetDriver) \
    X(GDALGetDriverByName) \
    X(GDALGetDriverCount) \
    X(GDALGetDriverLongName) \
    X(GDALGetDriverShortName) \
    X(GDALGetMetadataItem) \
    X(GDALOpenEx) \
    X(OCTDestroyCoordinateTransformation) \
    X(OCTNewCoordinateTransformation) \
    X(OGRGeometryTypeToName) \
    X(OGR_F_Create) \
    X(OGR_F_Destroy) \
    X(OGR_F_GetFID) \
    X(OGR_F_GetFieldAsDouble) \
    X(OGR_F_GetFieldAsInteger) \
    X(OGR_F_GetFieldAsInteger64) \
    X(OGR_F_GetFieldAsString) \
    X(OGR_F_GetFieldAsStringList) \
    X(OGR_F_GetFieldCount) \
    X(OGR_F_GetFieldDefnRef) \
    X(OGR_F_GetFieldIndex) \
    X(OGR_F_GetGeometryRef) \
    X(OGR_F_IsFieldSetAndNotNull) \
    X(OGR_F_SetFieldDouble) \
    X(OGR_F_SetFieldInteger) \
    X(OGR_F_SetFieldNull) \
    X(OGR_F_SetFieldString) \
    X(OGR_F_SetFieldStringList) \
    X(OGR_F_SetGeometryDirectly) \
    X(OGR_Fld_Create) \
    X(OGR_Fld_Destroy) \
    X(OGR_Fld_GetNameRef) \
    X(OGR_Fld_GetSubType) \
    X(OGR_Fld_GetType) \
    X(OGR_Fld_SetSubType) \
    X(OGR_Fld_SetType) \
    X(OGR_Fld_SetWidth) \
    X(OGR_GT_Flatten) \
    X(OGR_G_AddGeometryDirectly) \
    X(OGR_G_AddPoint_2D) \
    X(OGR_G_Area) \
    X(OGR_G_Clone) \
    X(OGR_G_Contains) \
    X(OGR_G_CreateGeometry) \
    X(OGR_G_DestroyGeometry) \
    X(OGR_G_GetEnvelope) \
    X(OGR_G_GetGeometryCount) \
    X(OGR_G_GetGeometryRef) \
    X(OGR_G_GetGeometryType) \
    X(OGR_G_GetPointCount) \
    X(OGR_G_GetX) \
    X(OGR_G_GetY) \
    X(OGR_G_Intersection) \
    X(OGR_G_IsEmpty) \
    X(OGR_G_PointOnSurface) \
    X(OGR_G_Segmentize) \
    X(OGR_G_SetPointCount) \
    X(OGR_G_SetPoint_2D) \
    X(OGR_G_Transform) \
    X(OGR_L_CreateFeature) \
    X(OGR_L_CreateField) \
    X(OGR_L_GetLayerDefn) \
    X(OGR_L_GetName) \
    X(OGR_L_GetNextFeature) \
    X(OGR_L_GetSpatialRef) \
    X(OGR_L_ResetReading) \
    X(OSRClone) \
    X(OSRDestroySpatialReference) \
    X(OSRGetAxisMappingStrategy) \
    X(OSRImportFromEPSG) \
    X(OSRIsSame) \
    X(OSRNewSpatialReference) \
    X(OSRSetAxisMappingStrategy) \
    X(VSIFCloseL) \
    X(VSIFileFromMemBuffer) \
    X(VSIStatL)

#define COR_PROJ_FUNCS(X) \
    X(geod_init) \
    X(geod_inverse) \
    X(proj_context_create) \
    X(proj_context_destroy) \
    X(proj_context_errno) \
    X(proj_context_errno_string) \
    X(proj_coord) \
    X(proj_create) \
    X(proj_create_crs_to_crs) \
    X(proj_destroy) \
    X(proj_get_type) \
    X(proj_log_level) \
    X(proj_normalize_for_visualization) \
    X(proj_trans)
// clang-format on

#define COR_GIS_ENTRY(f) __typeof__(&f) f;
typedef struct cor_gis {
    COR_GDAL_FUNCS(COR_GIS_ENTRY)
    COR_PROJ_FUNCS(COR_GIS_ENTRY)
} cor_gis;
#undef COR_GIS_ENTRY

/**
 * The table, loaded on the first call (thread-safe); NULL if GDAL or PROJ
 * cannot be loaded (corridor__gis_load says why).
 */
const cor_gis *corridor__gis(void);

/**
 * Loads GDAL and PROJ if not yet loaded: 0, or CORRIDOR_EINTERNAL with the
 * library's name and dlerror's reason (and the fix: install the Debian
 * packages, make deps). Public functions that reach GDAL or PROJ call it
 * first, so that a missing library is an error, not a crash.
 */
int corridor__gis_load(void);

/* In a function returning a corridor error code: loads them, or returns the error. */
#define COR_GIS_NEEDED()                                                                           \
    do {                                                                                           \
        int gis_err_ = corridor__gis_load();                                                       \
        if (gis_err_ < 0)                                                                          \
            return gis_err_;                                                                       \
    } while (0)

/* every call below this point goes through the table (gis_dl.c itself fills it) */
#ifndef CORRIDOR_GIS_DL_IMPL
// clang-format off
#define CPLErrorReset (corridor__gis()->CPLErrorReset)
#define CPLGetLastErrorMsg (corridor__gis()->CPLGetLastErrorMsg)
#define CPLGetLastErrorType (corridor__gis()->CPLGetLastErrorType)
#define CPLGetThreadLocalConfigOption (corridor__gis()->CPLGetThreadLocalConfigOption)
#define CPLPopErrorHandler (corridor__gis()->CPLPopErrorHandler)
#define CPLPushErrorHandler (corridor__gis()->CPLPushErrorHandler)
#define CPLQuietErrorHandler (corridor__gis()->CPLQuietErrorHandler)
#define CPLSetThreadLocalConfigOption (corridor__gis()->CPLSetThreadLocalConfigOption)
#define CSLAddString (corridor__gis()->CSLAddString)
#define CSLDestroy (corridor__gis()->CSLDestroy)
#define CSLRemoveStrings (corridor__gis()->CSLRemoveStrings)
#define CSLSetNameValue (corridor__gis()->CSLSetNameValue)
#define CSLTokenizeString2 (corridor__gis()->CSLTokenizeString2)
#define GDALAllRegister (corridor__gis()->GDALAllRegister)
#define GDALClose (corridor__gis()->GDALClose)
#define GDALCreate (corridor__gis()->GDALCreate)
#define GDALDatasetCommitTransaction (corridor__gis()->GDALDatasetCommitTransaction)
#define GDALDatasetCreateLayer (corridor__gis()->GDALDatasetCreateLayer)
#define GDALDatasetGetLayer (corridor__gis()->GDALDatasetGetLayer)
#define GDALDatasetGetLayerCount (corridor__gis()->GDALDatasetGetLayerCount)
#define GDALDatasetGetNextFeature (corridor__gis()->GDALDatasetGetNextFeature)
#define GDALDatasetResetReading (corridor__gis()->GDALDatasetResetReading)
#define GDALDatasetStartTransaction (corridor__gis()->GDALDatasetStartTransaction)
#define GDALGetDatasetDriver (corridor__gis()->GDALGetDatasetDriver)
#define GDALGetDriver (corridor__gis()->GDALGetDriver)
#define GDALGetDriverByName (corridor__gis()->GDALGetDriverByName)
#define GDALGetDriverCount (corridor__gis()->GDALGetDriverCount)
#define GDALGetDriverLongName (corridor__gis()->GDALGetDriverLongName)
#define GDALGetDriverShortName (corridor__gis()->GDALGetDriverShortName)
#define GDALGetMetadataItem (corridor__gis()->GDALGetMetadataItem)
#define GDALOpenEx (corridor__gis()->GDALOpenEx)
#define OCTDestroyCoordinateTransformation (corridor__gis()->OCTDestroyCoordinateTransformation)
#define OCTNewCoordinateTransformation (corridor__gis()->OCTNewCoordinateTransformation)
#define OGRGeometryTypeToName (corridor__gis()->OGRGeometryTypeToName)
#define OGR_F_Create (corridor__gis()->OGR_F_Create)
#define OGR_F_Destroy (corridor__gis()->OGR_F_Destroy)
#define OGR_F_GetFID (corridor__gis()->OGR_F_GetFID)
#define OGR_F_GetFieldAsDouble (corridor__gis()->OGR_F_GetFieldAsDouble)
#define OGR_F_GetFieldAsInteger (corridor__gis()->OGR_F_GetFieldAsInteger)
#define OGR_F_GetFieldAsInteger64 (corridor__gis()->OGR_F_GetFieldAsInteger64)
#define OGR_F_GetFieldAsString (corridor__gis()->OGR_F_GetFieldAsString)
#define OGR_F_GetFieldAsStringList (corridor__gis()->OGR_F_GetFieldAsStringList)
#define OGR_F_GetFieldCount (corridor__gis()->OGR_F_GetFieldCount)
#define OGR_F_GetFieldDefnRef (corridor__gis()->OGR_F_GetFieldDefnRef)
#define OGR_F_GetFieldIndex (corridor__gis()->OGR_F_GetFieldIndex)
#define OGR_F_GetGeometryRef (corridor__gis()->OGR_F_GetGeometryRef)
#define OGR_F_IsFieldSetAndNotNull (corridor__gis()->OGR_F_IsFieldSetAndNotNull)
#define OGR_F_SetFieldDouble (corridor__gis()->OGR_F_SetFieldDouble)
#define OGR_F_SetFieldInteger (corridor__gis()->OGR_F_SetFieldInteger)
#define OGR_F_SetFieldNull (corridor__gis()->OGR_F_SetFieldNull)
#define OGR_F_SetFieldString (corridor__gis()->OGR_F_SetFieldString)
#define OGR_F_SetFieldStringList (corridor__gis()->OGR_F_SetFieldStringList)
#define OGR_F_SetGeometryDirectly (corridor__gis()->OGR_F_SetGeometryDirectly)
#define OGR_Fld_Create (corridor__gis()->OGR_Fld_Create)
#define OGR_Fld_Destroy (corridor__gis()->OGR_Fld_Destroy)
#define OGR_Fld_GetNameRef (corridor__gis()->OGR_Fld_GetNameRef)
#define OGR_Fld_GetSubType (corridor__gis()->OGR_Fld_GetSubType)
#define OGR_Fld_GetType (corridor__gis()->OGR_Fld_GetType)
#define OGR_Fld_SetSubType (corridor__gis()->OGR_Fld_SetSubType)
#define OGR_Fld_SetType (corridor__gis()->OGR_Fld_SetType)
#define OGR_Fld_SetWidth (corridor__gis()->OGR_Fld_SetWidth)
#define OGR_GT_Flatten (corridor__gis()->OGR_GT_Flatten)
#define OGR_G_AddGeometryDirectly (corridor__gis()->OGR_G_AddGeometryDirectly)
#define OGR_G_AddPoint_2D (corridor__gis()->OGR_G_AddPoint_2D)
#define OGR_G_Area (corridor__gis()->OGR_G_Area)
#define OGR_G_Clone (corridor__gis()->OGR_G_Clone)
#define OGR_G_Contains (corridor__gis()->OGR_G_Contains)
#define OGR_G_CreateGeometry (corridor__gis()->OGR_G_CreateGeometry)
#define OGR_G_DestroyGeometry (corridor__gis()->OGR_G_DestroyGeometry)
#define OGR_G_GetEnvelope (corridor__gis()->OGR_G_GetEnvelope)
#define OGR_G_GetGeometryCount (corridor__gis()->OGR_G_GetGeometryCount)
#define OGR_G_GetGeometryRef (corridor__gis()->OGR_G_GetGeometryRef)
#define OGR_G_GetGeometryType (corridor__gis()->OGR_G_GetGeometryType)
#define OGR_G_GetPointCount (corridor__gis()->OGR_G_GetPointCount)
#define OGR_G_GetX (corridor__gis()->OGR_G_GetX)
#define OGR_G_GetY (corridor__gis()->OGR_G_GetY)
#define OGR_G_Intersection (corridor__gis()->OGR_G_Intersection)
#define OGR_G_IsEmpty (corridor__gis()->OGR_G_IsEmpty)
#define OGR_G_PointOnSurface (corridor__gis()->OGR_G_PointOnSurface)
#define OGR_G_Segmentize (corridor__gis()->OGR_G_Segmentize)
#define OGR_G_SetPointCount (corridor__gis()->OGR_G_SetPointCount)
#define OGR_G_SetPoint_2D (corridor__gis()->OGR_G_SetPoint_2D)
#define OGR_G_Transform (corridor__gis()->OGR_G_Transform)
#define OGR_L_CreateFeature (corridor__gis()->OGR_L_CreateFeature)
#define OGR_L_CreateField (corridor__gis()->OGR_L_CreateField)
#define OGR_L_GetLayerDefn (corridor__gis()->OGR_L_GetLayerDefn)
#define OGR_L_GetName (corridor__gis()->OGR_L_GetName)
#define OGR_L_GetNextFeature (corridor__gis()->OGR_L_GetNextFeature)
#define OGR_L_GetSpatialRef (corridor__gis()->OGR_L_GetSpatialRef)
#define OGR_L_ResetReading (corridor__gis()->OGR_L_ResetReading)
#define OSRClone (corridor__gis()->OSRClone)
#define OSRDestroySpatialReference (corridor__gis()->OSRDestroySpatialReference)
#define OSRGetAxisMappingStrategy (corridor__gis()->OSRGetAxisMappingStrategy)
#define OSRImportFromEPSG (corridor__gis()->OSRImportFromEPSG)
#define OSRIsSame (corridor__gis()->OSRIsSame)
#define OSRNewSpatialReference (corridor__gis()->OSRNewSpatialReference)
#define OSRSetAxisMappingStrategy (corridor__gis()->OSRSetAxisMappingStrategy)
#define VSIFCloseL (corridor__gis()->VSIFCloseL)
#define VSIFileFromMemBuffer (corridor__gis()->VSIFileFromMemBuffer)
#define VSIStatL (corridor__gis()->VSIStatL)
#define geod_init (corridor__gis()->geod_init)
#define geod_inverse (corridor__gis()->geod_inverse)
#define proj_context_create (corridor__gis()->proj_context_create)
#define proj_context_destroy (corridor__gis()->proj_context_destroy)
#define proj_context_errno (corridor__gis()->proj_context_errno)
#define proj_context_errno_string (corridor__gis()->proj_context_errno_string)
#define proj_coord (corridor__gis()->proj_coord)
#define proj_create (corridor__gis()->proj_create)
#define proj_create_crs_to_crs (corridor__gis()->proj_create_crs_to_crs)
#define proj_destroy (corridor__gis()->proj_destroy)
#define proj_get_type (corridor__gis()->proj_get_type)
#define proj_log_level (corridor__gis()->proj_log_level)
#define proj_normalize_for_visualization (corridor__gis()->proj_normalize_for_visualization)
#define proj_trans (corridor__gis()->proj_trans)
// clang-format on
#endif

#endif
