-- schemagen revision: 1275073184a8
-- parents: 46f6c5369a41
-- message: audit log and order totals
-- created: 2026-11-21T23:25:53Z

-- +upgrade
SET check_function_bodies = off;
CREATE OR REPLACE FUNCTION public.log_order_status()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$BEGIN
  INSERT INTO public.audit_log (order_id, status) VALUES (NEW.id, NEW.status);
  RETURN NEW;
END
$function$;
CREATE TABLE public.audit_log (
    logged_at timestamp with time zone DEFAULT now() NOT NULL,
    order_id bigint NOT NULL,
    status public.order_status NOT NULL,
    logged_by text DEFAULT CURRENT_USER NOT NULL
) PARTITION BY RANGE (logged_at);
COMMENT ON TABLE public.audit_log IS 'Every change to an order, partitioned by month';
ALTER TABLE public.audit_log ENABLE ROW LEVEL SECURITY;
CREATE INDEX audit_log_order_idx ON public.audit_log USING btree (order_id, logged_at);
CREATE POLICY own_entries ON public.audit_log FOR SELECT USING ((logged_by = CURRENT_USER));
COMMENT ON POLICY own_entries ON public.audit_log IS 'Clerks read what they logged';
CREATE TABLE public.audit_log_2026_11 PARTITION OF public.audit_log FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00');
CREATE TABLE public.audit_log_2026_12 PARTITION OF public.audit_log FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');
CREATE TABLE public.audit_log_default PARTITION OF public.audit_log DEFAULT;
CREATE TRIGGER orders_log_status AFTER INSERT OR UPDATE OF status ON public.orders FOR EACH ROW EXECUTE FUNCTION public.log_order_status();
COMMENT ON TRIGGER orders_log_status ON public.orders IS 'Writes each status to audit_log';
CREATE VIEW public.order_totals AS
 SELECT o.id AS order_id,
    o.status,
    sum((p.price * (l.quantity)::numeric)) AS total
   FROM ((public.orders o
     JOIN public.order_lines l ON ((l.order_id = o.id)))
     JOIN public.products p ON ((p.id = l.product_id)))
  GROUP BY o.id, o.status;
COMMENT ON VIEW public.order_totals IS 'What each order comes to';

-- +downgrade
DROP VIEW public.order_totals;
-- WARNING: drops table public.audit_log_2026_11 and the data in it
DROP TABLE public.audit_log_2026_11;
-- WARNING: drops table public.audit_log_2026_12 and the data in it
DROP TABLE public.audit_log_2026_12;
-- WARNING: drops table public.audit_log_default and the data in it
DROP TABLE public.audit_log_default;
-- WARNING: drops table public.audit_log and the data in it
DROP TABLE public.audit_log;
DROP TRIGGER orders_log_status ON public.orders;
DROP FUNCTION public.log_order_status();
