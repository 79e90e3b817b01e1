CREATE SCHEMA app;
CREATE TABLE app.t (id int PRIMARY KEY, a int, b int, body text);
CREATE TABLE app.log (id int, note text);
CREATE TYPE app.mood AS ENUM ('a', 'b');
-- a procedural language
CREATE TRUSTED LANGUAGE plx HANDLER plpgsql_call_handler INLINE plpgsql_inline_handler VALIDATOR plpgsql_validator;
-- an operator, an aggregate, an operator family and class
CREATE FUNCTION app.int_eq3(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';
CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = app.int_eq3, COMMUTATOR = OPERATOR(app.===));
CREATE FUNCTION app.add2(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2';
CREATE AGGREGATE app.mysum(int) (SFUNC = app.add2, STYPE = int, INITCOND = '10');
CREATE OPERATOR FAMILY app.fam USING btree;
CREATE OPERATOR CLASS app.cls FOR TYPE int USING btree FAMILY app.fam AS
  OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, FUNCTION 1 btint4cmp(int, int);
-- a cast
CREATE FUNCTION app.mood_of(int) RETURNS app.mood LANGUAGE sql IMMUTABLE
  AS $$SELECT CASE WHEN $1 > 0 THEN 'a'::app.mood ELSE 'b'::app.mood END$$;
CREATE CAST (int AS app.mood) WITH FUNCTION app.mood_of(int) AS IMPLICIT;
-- a rule and extended statistics
CREATE RULE log_neg AS ON INSERT TO app.log WHERE new.id < 0 DO INSTEAD NOTHING;
CREATE STATISTICS app.t_ab (ndistinct, dependencies) ON a, b FROM app.t;
-- text search
CREATE TEXT SEARCH DICTIONARY app.simple_d (TEMPLATE = pg_catalog.simple, STOPWORDS = english);
CREATE TEXT SEARCH CONFIGURATION app.cfg (PARSER = pg_catalog."default");
ALTER TEXT SEARCH CONFIGURATION app.cfg ADD MAPPING FOR word, asciiword WITH app.simple_d, simple;
-- an event trigger
CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER sg_noop ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'DROP TABLE') EXECUTE FUNCTION app.on_ddl();
-- a publication
CREATE PUBLICATION pub FOR TABLE app.t WITH (publish = 'insert');
-- foreign data
CREATE FOREIGN DATA WRAPPER w OPTIONS (debug 'true');
CREATE SERVER s VERSION '2' FOREIGN DATA WRAPPER w OPTIONS (host 'example2', port '5433');
CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (user 'v');
