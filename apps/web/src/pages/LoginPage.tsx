import { roleLabels } from "@gongkai/core/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { type FormEvent, type InputHTMLAttributes, type ReactNode, useId, useRef, useState } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { useLargeText } from "../lib/largeText.ts";
import { errorMessage, useTRPC } from "../lib/trpc.ts";
import "./LoginPage.css";

/**
 * 登录, written without Ant Design: the page every visit starts on, so the one that must show soon
 * on a slow link (issue 15: 150 kB of JavaScript, gzip). antd's core alone (its theme, CSS-in-JS,
 * providers) is 40 kB of that before a single input; this page is a form of three fields. It looks
 * as antd's Card, Form, Input, Button and Alert do with the theme of AntdRoot.tsx (LoginPage.css).
 */

type Field = "username" | "password" | "otp";
type Values = Record<Field, string>;

/** The rules of the form; a message in Chinese for a value that will not do. */
const check: Record<Field, (v: string) => string | undefined> = {
  username: (v) => (v.trim() ? undefined : "请输入用户名"),
  password: (v) => (v ? undefined : "请输入密码"),
  otp: (v) => (/^\d{3}\s?\d{3}$/.test(v.trim()) ? undefined : "请输入 6 位数字验证码"),
};

/** Did the server ask for the second factor (the password was right)? */
const needsOtp = (e: unknown) =>
  e instanceof TRPCClientError &&
  (e.data as { details?: { needsOtp?: boolean } } | undefined)?.details?.needsOtp === true;

/** Ant Design's outlined icons (MIT), as paths: @ant-design/icons would bring antd's styles along. */
const iconPaths = {
  user: "M858.5 763.6a374 374 0 00-80.6-119.5 375.63 375.63 0 00-119.5-80.6c-.4-.2-.8-.3-1.2-.5C719.5 518 760 444.7 760 362c0-137-111-248-248-248S264 225 264 362c0 82.7 40.5 156 102.8 201.1-.4.2-.8.3-1.2.5-44.8 18.9-85 46-119.5 80.6a375.63 375.63 0 00-80.6 119.5A371.7 371.7 0 00136 901.8a8 8 0 008 8.2h60c4.4 0 7.9-3.5 8-7.8 2-77.2 33-149.5 87.8-204.3 56.7-56.7 132-87.9 212.2-87.9s155.5 31.2 212.2 87.9C779 752.7 810 825 812 902.2c.1 4.4 3.6 7.8 8 7.8h60a8 8 0 008-8.2c-1-47.8-10.9-94.3-29.5-138.2zM512 534c-45.9 0-89.1-17.9-121.6-50.4S340 407.9 340 362c0-45.9 17.9-89.1 50.4-121.6S466.1 190 512 190s89.1 17.9 121.6 50.4S684 316.1 684 362c0 45.9-17.9 89.1-50.4 121.6S557.9 534 512 534z",
  lock: "M832 464h-68V240c0-70.7-57.3-128-128-128H388c-70.7 0-128 57.3-128 128v224h-68c-17.7 0-32 14.3-32 32v384c0 17.7 14.3 32 32 32h640c17.7 0 32-14.3 32-32V496c0-17.7-14.3-32-32-32zM332 240c0-30.9 25.1-56 56-56h248c30.9 0 56 25.1 56 56v224H332V240zm460 600H232V536h560v304zM484 701v53c0 4.4 3.6 8 8 8h40c4.4 0 8-3.6 8-8v-53a48.01 48.01 0 10-56 0z",
  safety:
    "M512 64L128 192v384c0 212.1 171.9 384 384 384s384-171.9 384-384V192L512 64zm312 512c0 172.3-139.7 312-312 312S200 748.3 200 576V246l312-110 312 110v330zM378.4 475.1a35.91 35.91 0 00-50.9 0 35.91 35.91 0 000 50.9l129.4 129.4 2.1 2.1a33.98 33.98 0 0048.1 0L730.6 434a33.98 33.98 0 000-48.1l-2.8-2.8a33.98 33.98 0 00-48.1 0L483 579.7 378.4 475.1z",
  eye: "M942.2 486.2C847.4 286.5 704.1 186 512 186c-192.2 0-335.4 100.5-430.2 300.3a60.3 60.3 0 000 51.5C176.6 737.5 319.9 838 512 838c192.2 0 335.4-100.5 430.2-300.3 7.7-16.2 7.7-35 0-51.5zM512 766c-161.3 0-279.4-81.8-362.7-254C232.6 339.8 350.7 258 512 258c161.3 0 279.4 81.8 362.7 254C791.5 684.2 673.4 766 512 766zm-4-430c-97.2 0-176 78.8-176 176s78.8 176 176 176 176-78.8 176-176-78.8-176-176-176zm0 288c-61.9 0-112-50.1-112-112s50.1-112 112-112 112 50.1 112 112-50.1 112-112 112z",
  eyeInvisible:
    "M942.2 486.2Q889.47 375.11 816.7 305l-50.88 50.88C807.31 395.53 843.45 447.4 874.7 512 791.5 684.2 673.4 766 512 766q-72.67 0-133.87-22.38L323 798.75Q408 838 512 838q288.3 0 430.2-300.3a60.29 60.29 0 000-51.5zm-63.57-320.64L836 122.88a8 8 0 00-11.32 0L715.31 232.2Q624.86 186 512 186q-288.3 0-430.2 300.3a60.3 60.3 0 000 51.5q56.69 119.4 136.5 191.41L112.48 835a8 8 0 000 11.31L155.17 889a8 8 0 0011.31 0l712.15-712.12a8 8 0 000-11.32zM149.3 512C232.6 339.8 350.7 258 512 258c54.54 0 104.13 9.36 149.12 28.39l-70.3 70.3a176 176 0 00-238.13 238.13l-83.42 83.42C223.1 637.49 183.3 582.28 149.3 512zm246.7 0a112.11 112.11 0 01146.2-106.69L401.31 546.2A112 112 0 01396 512zM508 624c-3.46 0-6.87-.16-10.25-.47l-52.82 52.82a176.09 176.09 0 00227.42-227.42l-52.82 52.82c.31 3.38.47 6.79.47 10.25a111.94 111.94 0 01-112 112z",
  closeCircle:
    "M512 64c247.4 0 448 200.6 448 448S759.4 960 512 960 64 759.4 64 512 264.6 64 512 64zm127.98 274.82h-.04l-.08.06L512 466.75 384.14 338.88c-.04-.05-.06-.06-.08-.06a.12.12 0 00-.07 0c-.03 0-.05.01-.09.05l-45.02 45.02a.2.2 0 00-.05.09.12.12 0 000 .07v.02a.27.27 0 00.06.06L466.75 512 338.88 639.86c-.05.04-.06.06-.06.08a.12.12 0 000 .07c0 .03.01.05.05.09l45.02 45.02a.2.2 0 00.09.05.12.12 0 00.07 0c.02 0 .04-.01.08-.05L512 557.25l127.86 127.87c.04.04.06.05.08.05a.12.12 0 00.07 0c.03 0 .05-.01.09-.05l45.02-45.02a.2.2 0 00.05-.09.12.12 0 000-.07v-.02a.27.27 0 00-.05-.06L557.25 512l127.87-127.86c.04-.04.05-.06.05-.08a.12.12 0 000-.07c0-.03-.01-.05-.05-.09l-45.02-45.02a.2.2 0 00-.09-.05.12.12 0 00-.07 0z",
};

function Icon({ name }: { name: keyof typeof iconPaths }) {
  return (
    <svg
      className="login-icon"
      viewBox={name === "safety" ? "0 0 1024 1024" : "64 64 896 896"}
      width="1em"
      height="1em"
      aria-hidden="true"
    >
      <path d={iconPaths[name]} fill="currentColor" fillRule="evenodd" />
    </svg>
  );
}

/** A labelled input with an icon before it and its rule's message below, as antd's Form.Item. */
function TextField({
  label,
  icon,
  error,
  extra,
  renderInput,
  children,
}: {
  label: string;
  icon: keyof typeof iconPaths;
  error?: string;
  extra?: string;
  renderInput: (id: string, describedBy: string | undefined) => ReactNode;
  children?: ReactNode;
}) {
  const id = useId();
  const help = error ? `${id}-error` : extra ? `${id}-extra` : undefined;
  return (
    <div className={error ? "login-field login-field-error" : "login-field"}>
      <label htmlFor={id}>{label}</label>
      <span className="login-input">
        <Icon name={icon} />
        {renderInput(id, help)}
        {children}
      </span>
      {error ? (
        <div id={help} className="login-explain" role="alert">
          {error}
        </div>
      ) : (
        extra && (
          <div id={help} className="login-extra">
            {extra}
          </div>
        )
      )}
    </div>
  );
}

export function LoginPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const location = useLocation();
  // The page the user asked for before being sent here (AppLayout passes it), else the home page.
  const from = (location.state as { from?: unknown } | null)?.from;
  const back = typeof from === "string" && from.startsWith("/") && !from.startsWith("/login") ? from : "/";
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>({ username: "", password: "", otp: "" });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [askOtp, setAskOtp] = useState(false);
  const [showPassword, setShowPassword] = useState(false);
  const [large, setLarge] = useLargeText();
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const info = useQuery(
    trpc.auth.signInInfo.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }),
  );
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: (user) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), user);
        navigate(back, { replace: true });
      },
      onError: (e) => {
        if (needsOtp(e)) setAskOtp(true);
      },
    }),
  );
  const demo = info.data?.demoAccounts ?? [];
  const fields: Field[] = askOtp ? ["username", "password", "otp"] : ["username", "password"];

  /** As antd's Form: a field with a message checks itself again as it is typed in. */
  const change = (field: Field, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (errors[field] !== undefined) setErrors((e) => ({ ...e, [field]: check[field](value) }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (signIn.isPending) return;
    const found = Object.fromEntries(fields.map((f) => [f, check[f](values[f])]));
    setErrors(found);
    const first = fields.find((f) => found[f]);
    if (first) {
      inputs.current[first]?.focus();
      return;
    }
    signIn.mutate({
      username: values.username,
      password: values.password,
      otp: askOtp ? values.otp.trim() || undefined : undefined,
    });
  };
  const input = (field: Field, props: InputHTMLAttributes<HTMLInputElement>) =>
    function render(id: string, describedBy: string | undefined) {
      return (
        <input
          id={id}
          ref={(el) => {
            inputs.current[field] = el;
          }}
          name={field}
          value={values[field]}
          onChange={(e) => change(field, e.target.value)}
          aria-invalid={errors[field] ? true : undefined}
          aria-describedby={describedBy}
          {...props}
        />
      );
    };

  return (
    <div className="login-page">
      <main className="login-card">
        <button
          type="button"
          className="login-large-text"
          aria-pressed={large}
          title={large ? "恢复标准字号" : "放大字号、加深文字颜色"}
          onClick={() => setLarge(!large)}
          data-testid="large-text-toggle"
        >
          大字模式
        </button>
        <h1>政务公开工作平台</h1>
        <p className="login-subtitle">工作要点 · 任务分工 · 进展督办 · 考核评估</p>
        {signIn.error && (
          <div className="login-alert login-alert-error" role="alert" data-testid="login-error">
            <span className="login-alert-icon">
              <Icon name="closeCircle" />
            </span>
            <span>{errorMessage(signIn.error)}</span>
          </div>
        )}
        <form onSubmit={submit} noValidate>
          <TextField
            label="用户名"
            icon="user"
            error={errors.username}
            renderInput={input("username", { autoComplete: "username", autoFocus: true })}
          />
          <TextField
            label="密码"
            icon="lock"
            error={errors.password}
            renderInput={input("password", {
              type: showPassword ? "text" : "password",
              autoComplete: "current-password",
            })}
          >
            <button
              type="button"
              className="login-reveal"
              aria-label={showPassword ? "隐藏输入的字符" : "显示输入的字符"}
              aria-pressed={showPassword}
              onClick={() => setShowPassword((s) => !s)}
            >
              <Icon name={showPassword ? "eye" : "eyeInvisible"} />
            </button>
          </TextField>
          {askOtp && (
            <TextField
              label="动态验证码"
              icon="safety"
              error={errors.otp}
              extra="打开手机上的验证器应用,输入本账号当前显示的 6 位数字。"
              renderInput={input("otp", {
                inputMode: "numeric",
                autoComplete: "one-time-code",
                maxLength: 7,
                autoFocus: true,
              })}
            />
          )}
          <button
            type="submit"
            className="login-submit"
            aria-busy={signIn.isPending}
            data-loading={signIn.isPending || undefined}
          >
            {signIn.isPending && <span className="login-spinner" aria-hidden="true" />}
            登录
          </button>
        </form>
        {demo.length > 0 && (
          <div className="login-alert login-alert-warning" data-testid="demo-accounts">
            <div>
              <div>演示环境:以下账号和密码是公开的,只用于体验,请勿录入真实工作数据。</div>
              <div className="login-demo">
                {demo.map((a) => (
                  <button
                    type="button"
                    key={a.username}
                    title="填入此演示账号"
                    onClick={() => {
                      setValues((v) => ({ ...v, username: a.username, password: a.password }));
                      setErrors({});
                    }}
                  >
                    {roleLabels[a.role]} {a.username} / {a.password}
                  </button>
                ))}
              </div>
            </div>
          </div>
        )}
        <p className="login-public">
          <Link to="/public/rankings">查看公开发布的评估排名(无需登录)</Link>
        </p>
      </main>
    </div>
  );
}
