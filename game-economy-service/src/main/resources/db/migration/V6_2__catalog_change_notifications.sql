-- Every instance caches the catalog and forgets it when told (CatalogChanges): PostgreSQL sends
-- the notification on commit to every listening session.
CREATE FUNCTION notify_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('catalog_changed', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
CREATE TRIGGER catalog_item_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalog_item
  FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
CREATE TRIGGER offer_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON offer
  FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_changed();
