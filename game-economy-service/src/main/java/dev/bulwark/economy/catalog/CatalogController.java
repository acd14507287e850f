package dev.bulwark.economy.catalog;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CatalogController {

    private final Catalog catalog;

    CatalogController(Catalog catalog) {
        this.catalog = catalog;
    }

    record CatalogView(List<Catalog.Item> items, List<Catalog.Offer> offers) {
    }

    /** Everything for sale, to any signed-in caller. */
    @GetMapping("/api/v1/catalog")
    CatalogView catalog() {
        return new CatalogView(catalog.items(), catalog.offers());
    }
}
