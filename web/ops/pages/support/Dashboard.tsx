import {
  BarChart,
  type BarSeriesOption,
  LineChart,
  type LineSeriesOption,
  PieChart,
  type PieSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { Card, Col, Empty, Row, Segmented, Statistic } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from '../../components';
import { useDashboard } from '../../support-api';
import { useSupportOpsT } from '../../support-i18n';

/**
 * The service dashboard: volumes, categories and complaint deadlines. This module is loaded lazily
 * (the dashboard tab), and takes from ECharts only the charts it draws and the SVG renderer.
 */

use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

function Chart(props: { option: Option; height?: number; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const chart = init(host.current, undefined, { renderer: 'svg' });
    chart.setOption(props.option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [props.option]);
  return <div ref={host} style={{ height: props.height ?? 260 }} role="img" aria-label={props.label} />;
}

const COLORS = ['#1d3c78', '#c8102e', '#fa8c16', '#52c41a', '#13c2c2', '#722ed1', '#8c8c8c'];

export default function Dashboard() {
  const { t } = useSupportOpsT();
  const [days, setDays] = useState(30);
  const dashboard = useDashboard(days);
  const data = dashboard.data;
  if (dashboard.error) return <ErrorAlert error={dashboard.error} />;
  if (!data) return <Card loading />;
  const daily: Option = {
    animation: false,
    color: COLORS,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 8, right: 12, top: 16, bottom: 32, containLabel: true },
    xAxis: { type: 'category', data: data.daily.map((d) => d.day.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('opened'), type: 'bar', data: data.daily.map((d) => d.opened) },
      { name: t('closedDaily'), type: 'line', smooth: true, data: data.daily.map((d) => d.closed) },
    ],
  };
  const categories: Option = {
    animation: false,
    color: COLORS,
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['40%', '68%'],
        center: ['50%', '44%'],
        label: { formatter: '{c}' },
        data: data.byCategory.map((c) => ({ name: t(`categories.${c.category}`), value: c.count })),
      },
    ],
  };
  const sla: Option = {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: [t('inTime'), t('late'), t('breached'), t('dueSoon')] },
    series: [
      {
        type: 'bar',
        data: [
          { value: data.sla.decidedInTime, itemStyle: { color: '#52c41a' } },
          { value: data.sla.decidedLate, itemStyle: { color: '#fa8c16' } },
          { value: data.sla.breached, itemStyle: { color: '#c8102e' } },
          { value: data.sla.dueWithin3Days, itemStyle: { color: '#1d3c78' } },
        ],
      },
    ],
  };
  return (
    <div data-testid="support-dashboard">
      <Segmented
        value={days}
        onChange={(value) => setDays(Number(value))}
        options={[7, 30, 90].map((value) => ({ value, label: `${value} ${t('days')}` }))}
        style={{ marginBottom: 16 }}
      />
      <Row gutter={[16, 16]}>
        {(
          [
            ['openTotal', data.open],
            ['inProgressTotal', data.inProgress],
            ['complaintsOpen', data.sla.complaintsOpen],
            ['breached', data.sla.breached],
          ] as const
        ).map(([label, value]) => (
          <Col key={label} xs={12} md={6}>
            <Card size="small">
              <Statistic
                title={t(label)}
                value={value}
                valueStyle={label === 'breached' && value > 0 ? { color: '#c8102e' } : undefined}
              />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('medianFirstReply')}
              value={data.sla.medianFirstReplyMinutes ?? '—'}
              suffix={data.sla.medianFirstReplyMinutes === null ? undefined : 'min'}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={`${t('satisfaction')} (${t('rated', { count: data.satisfaction.rated })})`}
              value={data.satisfaction.average ?? '—'}
              precision={data.satisfaction.average === null ? undefined : 1}
              suffix={data.satisfaction.average === null ? undefined : '/ 5'}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('resolvedTotal')} value={data.resolved} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('inTime')}
              value={data.sla.decidedInTime}
              suffix={`/ ${data.sla.decidedInTime + data.sla.decidedLate}`}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('daily')}>
            {data.daily.length ? <Chart option={daily} label={t('daily')} /> : <Empty />}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('byCategory')}>
            {data.byCategory.length ? <Chart option={categories} label={t('byCategory')} /> : <Empty />}
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={t('slaPerformance')}>
            <Chart option={sla} height={180} label={t('slaPerformance')} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
