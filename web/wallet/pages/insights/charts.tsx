import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption, PieChart } from 'echarts/charts';
import type { PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, type EChartsType, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useCallback, useEffect, useMemo, useRef } from 'react';

/**
 * The analysis pages' charts (donut by category, bars by day, the net-worth line), drawn with
 * ECharts. Loaded lazily (React.lazy from the pages), taking from ECharts only what they draw and
 * the SVG renderer, so the home page never carries the chart library. Values arrive as fen and are
 * drawn as yuan numbers; labels are formatted by the caller's `format`.
 */

use([PieChart, BarChart, LineChart, GridComponent, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<
  PieSeriesOption | BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption
>;

const AXIS = { color: '#646a73', fontSize: 11 };

/** Mounts a chart on a div, redraws it when `option` changes, resizes with the window, disposes on unmount. */
function useChart(option: Option, onChart?: (chart: EChartsType) => () => void) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const chart = init(host.current, undefined, { renderer: 'svg' });
    chart.setOption(option);
    const detach = onChart?.(chart);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      detach?.();
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option, onChart]);
  return host;
}

export interface Slice {
  key: string;
  label: string;
  fen: number;
  color: string;
}

/** Spending by category as a donut; tapping a slice calls onSelect with its key. */
export function DonutChart(props: { slices: Slice[]; label: string; onSelect?: (key: string) => void; size?: number }) {
  const { slices, onSelect } = props;
  const option = useMemo<Option>(
    () => ({
      animation: false,
      series: [
        {
          type: 'pie',
          radius: ['58%', '86%'],
          avoidLabelOverlap: true,
          label: { show: false },
          labelLine: { show: false },
          itemStyle: { borderColor: '#fff', borderWidth: 2 },
          emphasis: { scale: true, scaleSize: 4, label: { show: false } },
          data: slices.map((s) => ({ name: s.label, value: s.fen / 100, itemStyle: { color: s.color }, id: s.key })),
        },
      ],
    }),
    [slices],
  );
  const attach = useCallback(
    (chart: EChartsType) => {
      const handler = (params: { dataIndex?: number }) => {
        const slice = params.dataIndex === undefined ? undefined : slices[params.dataIndex];
        if (slice && onSelect) onSelect(slice.key);
      };
      chart.on('click', handler);
      return () => chart.off('click', handler);
    },
    [slices, onSelect],
  );
  const host = useChart(option, attach);
  const size = props.size ?? 168;
  return (
    <div
      ref={host}
      role="img"
      aria-label={props.label}
      className="tb-ins-donut"
      style={{ width: size, height: size }}
      data-testid="insights-donut"
    />
  );
}

export interface Bar {
  label: string;
  fen: number;
}

/** One bar per day (or month); the highlighted bar (today, the busiest day) in brand red, the rest pale. */
export function BarsChart(props: {
  bars: Bar[];
  label: string;
  format: (fen: number) => string;
  highlight?: number;
  height?: number;
  testId?: string;
}) {
  const { bars, format, highlight, label } = props;
  const option = useMemo<Option>(
    () => ({
      animation: false,
      grid: { left: 4, right: 8, top: 12, bottom: 4, containLabel: true },
      tooltip: {
        trigger: 'axis',
        confine: true,
        axisPointer: { type: 'shadow' },
        valueFormatter: (value) => (typeof value === 'number' ? format(Math.round(value * 100)) : String(value)),
      },
      xAxis: {
        type: 'category',
        data: bars.map((b) => b.label),
        axisLine: { lineStyle: { color: '#c9cdd4' } },
        axisTick: { show: false },
        axisLabel: { ...AXIS, interval: bars.length > 12 ? Math.ceil(bars.length / 6) - 1 : 0 },
      },
      yAxis: {
        type: 'value',
        splitNumber: 3,
        splitLine: { lineStyle: { color: '#eceef1' } },
        axisLabel: { ...AXIS, formatter: (value: number) => compactYuan(value) },
      },
      series: [
        {
          type: 'bar',
          name: label,
          barMaxWidth: 14,
          data: bars.map((b, index) => ({
            value: b.fen / 100,
            itemStyle: { color: index === highlight ? '#c8102e' : '#f3a8b3', borderRadius: [3, 3, 0, 0] },
          })),
        },
      ],
    }),
    [bars, format, highlight, label],
  );
  const host = useChart(option);
  return (
    <div
      ref={host}
      role="img"
      aria-label={props.label}
      className="tb-ins-bars"
      style={{ height: props.height ?? 160 }}
      data-testid={props.testId ?? 'insights-bars'}
    />
  );
}

/** A line over time (net worth by month), filled underneath. */
export function TrendChart(props: { points: Bar[]; label: string; format: (fen: number) => string; height?: number }) {
  const { points, format, label } = props;
  const option = useMemo<Option>(
    () => ({
      animation: false,
      grid: { left: 4, right: 12, top: 16, bottom: 4, containLabel: true },
      tooltip: {
        trigger: 'axis',
        confine: true,
        valueFormatter: (value) => (typeof value === 'number' ? format(Math.round(value * 100)) : String(value)),
      },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: points.map((p) => p.label),
        axisLine: { lineStyle: { color: '#c9cdd4' } },
        axisTick: { show: false },
        axisLabel: { ...AXIS, hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        scale: true,
        splitNumber: 3,
        splitLine: { lineStyle: { color: '#eceef1' } },
        axisLabel: { ...AXIS, formatter: (value: number) => compactYuan(value) },
      },
      series: [
        {
          type: 'line',
          name: label,
          data: points.map((p) => p.fen / 100),
          smooth: false,
          showSymbol: points.length <= 12,
          symbolSize: 5,
          lineStyle: { color: '#c8102e', width: 2 },
          itemStyle: { color: '#c8102e' },
          areaStyle: { color: 'rgba(200, 16, 46, 0.08)' },
        },
      ],
    }),
    [points, format, label],
  );
  const host = useChart(option);
  return (
    <div
      ref={host}
      role="img"
      aria-label={props.label}
      className="tb-ins-trend"
      style={{ height: props.height ?? 170 }}
      data-testid="insights-trend"
    />
  );
}

/** Axis labels: 1200 → "1.2k", 35000 → "3.5万" would mix languages, so thousands only. */
function compactYuan(yuan: number): string {
  const abs = Math.abs(yuan);
  if (abs >= 1000) return `${(yuan / 1000).toFixed(abs >= 10_000 ? 0 : 1)}k`;
  return String(Math.round(yuan));
}
