import type { TablePaginationConfig } from "antd";

/**
 * Pages for a table with a row per unit: none up to a page's worth, `pageSize` a page beyond. A
 * province's 3,000 units rendered at once (with a select or an input per row) froze the page for
 * seconds.
 */
export const unitPages = (count: number, pageSize = 50): TablePaginationConfig | false =>
  count > pageSize ? { pageSize, showSizeChanger: false, showTotal: (n) => `共 ${n} 个单位` } : false;
