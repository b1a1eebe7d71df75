#include "glanced_sensors.h"

#include <sensors/sensors.h>
#include <stdio.h>
#include <stdlib.h>

int glanced_sensors_init(void) {
    int rc = sensors_init(NULL);
    return rc < 0 ? rc : -rc;
}

/* Appends the `input` subfeature of every feature of type `type` of every chip, from `count` on. */
static size_t collect(sensors_feature_type type, sensors_subfeature_type input, glanced_sensor_kind kind,
                      glanced_sensor_reading *readings, size_t capacity, size_t count) {
    const sensors_chip_name *chip;
    int chip_index = 0;
    while ((chip = sensors_get_detected_chips(NULL, &chip_index)) != NULL) {
        const sensors_feature *feature;
        int feature_index = 0;
        while ((feature = sensors_get_features(chip, &feature_index)) != NULL) {
            if (feature->type != type) continue;
            const sensors_subfeature *sub = sensors_get_subfeature(chip, feature, input);
            if (sub == NULL || !(sub->flags & SENSORS_MODE_R)) continue;
            double value;
            if (sensors_get_value(chip, sub->number, &value) != 0) continue;
            if (count < capacity) {
                glanced_sensor_reading *reading = &readings[count];
                char *label = sensors_get_label(chip, feature);
                snprintf(reading->label, sizeof reading->label, "%s",
                         label != NULL ? label : (feature->name != NULL ? feature->name : ""));
                free(label);
                reading->value = value;
                reading->kind = (int)kind;
            }
            count++;
        }
    }
    return count;
}

size_t glanced_sensors_read(glanced_sensor_reading *readings, size_t capacity) {
    size_t count = collect(SENSORS_FEATURE_TEMP, SENSORS_SUBFEATURE_TEMP_INPUT, GLANCED_SENSOR_TEMPERATURE,
                           readings, capacity, 0);
    return collect(SENSORS_FEATURE_FAN, SENSORS_SUBFEATURE_FAN_INPUT, GLANCED_SENSOR_FAN,
                   readings, capacity, count);
}
