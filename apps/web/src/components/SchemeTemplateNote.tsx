import type { SchemeTemplate } from "@gongkai/core/templates";
import { Alert, Typography } from "antd";

/** Where a template comes from and what it leaves out, shown when it is picked. */
export function SchemeTemplateNote({ template }: { template: SchemeTemplate }) {
  const { source } = template;
  return (
    <Alert
      type="info"
      showIcon
      data-testid="template-source"
      message={`来源:${source.issuer}《${source.title}》${source.year ? `(${source.year} 年)` : "(年度未注明)"}`}
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: 4 }}>{template.notes}</Typography.Paragraph>
          <Typography.Link href={source.url} target="_blank" rel="noreferrer">
            {source.url}
          </Typography.Link>
        </>
      }
    />
  );
}
