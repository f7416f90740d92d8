import { type NoticeLevel, noticeLevelColors, noticeLevelLabels, noticeLevels } from "@gongkai/core/domain";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, DatePicker, Form, Input, Modal, Radio, Select, Tag, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { useRequestKey } from "../../lib/request-key.ts";
import { errorMessage, useTRPC } from "../../lib/trpc.ts";

type Values = { taskId: number; level: NoticeLevel; content: string; replyDueDate: Dayjs | null };

/** What the lower office is asked for: the lower government's name and its tasks that carry ours out. */
export type DownTarget = {
  government: string;
  upperTask: { code: string; title: string };
  tasks: { id: number; code: string; title: string }[];
};

/**
 * 督办下级: a notice to the office of a government below about its task that carries out one of
 * ours; that office answers it and chases its own units.
 */
export function IssueDownModal({ target, onClose }: { target: DownTarget | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [requestKey, renewKey] = useRequestKey();
  useEffect(() => {
    if (target)
      form.setFieldsValue({
        taskId: target.tasks[0]?.id,
        level: "supervise",
        content: `请报送落实上级任务「${target.upperTask.code} ${target.upperTask.title}」的进展和佐证材料,督促承担单位按期完成。`,
        replyDueDate: null,
      });
  }, [target, form]);
  const issue = useMutation(
    trpc.supervision.issueDown.mutationOptions({
      onSuccess: (n) => {
        renewKey();
        message.success(
          `已向${target?.government ?? "下级"}政务公开办下发通知,请于 ${n.replyDueDate} 前回复`,
        );
        queryClient.invalidateQueries({ queryKey: trpc.supervision.pathKey() });
        onClose();
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );
  const level: NoticeLevel = Form.useWatch("level", form) ?? "supervise";
  return (
    <Modal
      title={target ? `督办下级:${target.government}` : "督办下级"}
      open={target !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="下发"
      okButtonProps={{ "data-testid": "notice-down-submit" }}
      confirmLoading={issue.isPending}
      width={600}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        通知发给{target?.government}的政务公开办,由其回复,并督促本级承担单位落实。
      </Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) =>
          issue.mutate({
            requestKey,
            taskId: v.taskId,
            level: v.level,
            content: v.content,
            replyDueDate: v.replyDueDate ? v.replyDueDate.format("YYYY-MM-DD") : null,
          })
        }
      >
        <Form.Item name="taskId" label="下级任务" rules={[{ required: true, message: "请选择下级任务" }]}>
          <Select
            options={(target?.tasks ?? []).map((t) => ({ value: t.id, label: `${t.code} ${t.title}` }))}
          />
        </Form.Item>
        <Form.Item name="level" label="级别">
          <Radio.Group
            optionType="button"
            options={noticeLevels.map((l) => ({
              value: l,
              label: (
                <Tag color={noticeLevelColors[l]} style={{ marginInlineEnd: 0 }}>
                  {noticeLevelLabels[l]}
                </Tag>
              ),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="content"
          label={`${noticeLevelLabels[level]}内容`}
          rules={[{ required: true, whitespace: true, message: "请填写督办内容" }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item name="replyDueDate" label="回复期限(选填)" extra="不填则按本级督办回复天数计算。">
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(), "day")} placeholder="选择日期" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The lower office answers a notice its upper office sent down. */
export function ReplyUpperModal({ noticeId, onClose }: { noticeId: number | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reply: string }>();
  const reply = useMutation(
    trpc.supervision.replyUpper.mutationOptions({
      onSuccess: () => {
        message.success("已回复上级");
        queryClient.invalidateQueries({ queryKey: trpc.supervision.pathKey() });
        onClose();
      },
      onError: (e) => message.error(errorMessage(e), 6),
    }),
  );
  return (
    <Modal
      title="回复上级督办"
      open={noticeId !== null}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="回复"
      okButtonProps={{ "data-testid": "reply-upper-submit" }}
      confirmLoading={reply.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => noticeId !== null && reply.mutate({ id: noticeId, reply: v.reply })}
      >
        <Form.Item
          name="reply"
          label="回复内容"
          rules={[{ required: true, whitespace: true, message: "请填写回复内容" }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={2000}
            showCount
            placeholder="落实情况、下一步安排;已督促的本级单位。"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
