import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

/**
 * The yield line of a product page, drawn with ECharts. This module is loaded lazily (React.lazy
 * from the product page), and takes from ECharts only the line chart, the grid, the tooltip and
 * the SVG renderer, so neither the home page nor any other page carries the chart library.
 */

use([LineChart, GridComponent, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface YieldPoint {
  /** Asia/Shanghai day, YYYY-MM-DD. */
  day: string;
  /** The value drawn, e.g. the 7-day annualised yield in percent (2.135). */
  value: number;
}

export default function YieldChart(props: {
  points: YieldPoint[];
  /** What a value means when read out, e.g. "7-day annualised yield". */
  label: string;
  /** How a value is written on the axis and in the tooltip (e.g. 2.135 → "2.135%"). */
  format: (value: number) => string;
  height?: number;
}) {
  const host = useRef<HTMLDivElement>(null);
  const { points, label, format } = props;

  useEffect(() => {
    if (!host.current) return;
    const chart = init(host.current, undefined, { renderer: 'svg' });
    const values = points.map((p) => p.value);
    const min = Math.min(...values);
    const max = Math.max(...values);
    const pad = Math.max((max - min) * 0.25, 0.01);
    const option: Option = {
      animation: false,
      grid: { left: 8, right: 12, top: 16, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        confine: true,
        valueFormatter: (value) => (typeof value === 'number' ? format(value) : String(value)),
      },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: points.map((p) => p.day.slice(5)),
        axisLine: { lineStyle: { color: '#c9cdd4' } },
        axisTick: { show: false },
        axisLabel: { color: '#646a73', fontSize: 11, hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        min: Number((min - pad).toFixed(4)),
        max: Number((max + pad).toFixed(4)),
        splitNumber: 3,
        splitLine: { lineStyle: { color: '#eceef1' } },
        axisLabel: { color: '#646a73', fontSize: 11, formatter: (value: number) => format(value) },
      },
      series: [
        {
          type: 'line',
          name: label,
          data: values,
          smooth: true,
          showSymbol: points.length <= 10,
          symbolSize: 5,
          lineStyle: { color: '#c8102e', width: 2 },
          itemStyle: { color: '#c8102e' },
          areaStyle: { color: 'rgba(200, 16, 46, 0.08)' },
        },
      ],
    };
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [points, label, format]);

  const first = points[0];
  const last = points[points.length - 1];
  const summary =
    first && last ? `${label}: ${first.day} ${format(first.value)} → ${last.day} ${format(last.value)}` : label;
  return (
    <div
      ref={host}
      role="img"
      aria-label={summary}
      className="tb-yield-chart"
      style={{ height: props.height ?? 180 }}
      data-testid="yield-chart"
    />
  );
}
