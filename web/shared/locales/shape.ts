/** The English side of a locale area: the same keys as its zh-CN side (the type checker refuses a missing one). */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
