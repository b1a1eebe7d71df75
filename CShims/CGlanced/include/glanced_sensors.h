#ifndef GLANCED_SENSORS_H
#define GLANCED_SENSORS_H

/* libsensors in one call. Swift could call libsensors itself, but walking chips, features and
   subfeatures costs a dozen crossings per reading and copies out labels that libsensors allocates;
   here one call fills a flat array of plain structs, and Swift turns it into rows. */

#include <stddef.h>

/// Bytes of a reading's label, terminating NUL included; longer labels are cut.
#define GLANCED_SENSOR_LABEL_SIZE 64

/// What a reading measures.
typedef enum glanced_sensor_kind {
    /// A temperature input (`SENSORS_SUBFEATURE_TEMP_INPUT`), degrees Celsius.
    GLANCED_SENSOR_TEMPERATURE = 0,
    /// A fan input (`SENSORS_SUBFEATURE_FAN_INPUT`), revolutions per minute.
    GLANCED_SENSOR_FAN = 1,
} glanced_sensor_kind;

/// One libsensors input: the feature's label (`sensors_get_label`), its value and its kind.
typedef struct glanced_sensor_reading {
    char label[GLANCED_SENSOR_LABEL_SIZE];
    double value;
    int kind; /* a glanced_sensor_kind */
} glanced_sensor_reading;

/// Loads libsensors' configuration and scans sysfs for chips: `sensors_init(NULL)`.
///
/// Call it once per process, before `glanced_sensors_read`: libsensors keeps what it finds in
/// process-wide state and a second call without `sensors_cleanup` would list every chip twice.
/// Returns 0, or libsensors' negative error code (`sensors_strerror` names it).
int glanced_sensors_init(void);

/// Reads every temperature input, then every fan input, of every detected chip into `readings`.
///
/// Features whose input is missing or unreadable are skipped; the order is chip order, then
/// feature order, temperatures first. Not thread-safe (libsensors' state is process-wide): callers
/// serialize. The values are read from sysfs on each call (`sensors_get_value` does not cache).
/// Returns how many readings there are, which may exceed `capacity`: only the first `capacity`
/// are written, and the caller retries with room for all.
size_t glanced_sensors_read(glanced_sensor_reading *readings, size_t capacity);

#endif
