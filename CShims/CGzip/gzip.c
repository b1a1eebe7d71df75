#include "CGzip.h"
