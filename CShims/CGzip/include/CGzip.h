#ifndef CGZIP_H
#define CGZIP_H
#include <stddef.h>
#endif
