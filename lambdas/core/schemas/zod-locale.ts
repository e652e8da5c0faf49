import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * The Lambda-side schemas use `zod/mini`, whose functional API tree-shakes: a handler bundle carries
 * only the validators it uses (about 13 KB) instead of all of classic zod (about 450 KB and 40 ms of
 * cold start). zod/mini loads no locale, so without this every issue would read "Invalid input";
 * English messages keep errors naming what is wrong with the field ("Too small: expected string to
 * have >=1 characters"). https://zod.dev/packages/mini
 */
z.config(en());
