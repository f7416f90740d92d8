/** The axis text of every chart (recharts props): one place, so the charts read alike. */
export const axisLabelStyle = { fill: "#595959", fontSize: 12 };
export const tick = { fontSize: 12, fill: "#595959" };
