//! The shop's products: a fixed catalog, the same on server and client.

/// One product of the demo catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Product {
    /// The id in `/products/{id}`.
    pub id: u32,
    /// Display name.
    pub name: &'static str,
    /// Price in øre (1/100 DKK).
    pub price_ore: u32,
    /// Short description.
    pub description: &'static str,
    /// Hue of the product's illustration (0–360).
    pub hue: u16,
    /// Which department it belongs to.
    pub department: &'static str,
}

impl Product {
    /// The price as shown: `129,00 kr.`
    pub fn price(&self) -> String {
        format!("{},{:02} kr.", self.price_ore / 100, self.price_ore % 100)
    }

    /// The product page's path.
    pub fn href(&self) -> String {
        format!("/products/{}", self.id)
    }
}

/// Every product, in catalog order.
pub const PRODUCTS: [Product; 6] = [
    Product {
        id: 1,
        name: "Morning Fjord Roast",
        price_ore: 12900,
        description: "A bright, light roast with notes of blueberry and lemon peel. 500 g whole beans.",
        hue: 28,
        department: "Coffee",
    },
    Product {
        id: 2,
        name: "Copenhagen Espresso",
        price_ore: 14900,
        description: "Dark chocolate, toasted hazelnut and a syrupy body. 500 g whole beans.",
        hue: 12,
        department: "Coffee",
    },
    Product {
        id: 3,
        name: "Stoneware Mug",
        price_ore: 19500,
        description: "Hand-thrown in Aarhus, glazed in sea-green. Holds 300 ml.",
        hue: 168,
        department: "Cups",
    },
    Product {
        id: 4,
        name: "Hand Grinder",
        price_ore: 64900,
        description: "Steel burrs, 40 click settings, from espresso to cold brew.",
        hue: 210,
        department: "Brewing",
    },
    Product {
        id: 5,
        name: "Pour-over Kettle",
        price_ore: 42500,
        description: "A gooseneck kettle for a slow, even pour. 1 litre, induction-ready.",
        hue: 280,
        department: "Brewing",
    },
    Product {
        id: 6,
        name: "Oat Biscuits",
        price_ore: 4900,
        description: "Crisp oat and cardamom biscuits, baked for dunking. 250 g.",
        hue: 45,
        department: "Treats",
    },
];

/// The product with this id.
pub fn product(id: u32) -> Option<Product> {
    PRODUCTS.into_iter().find(|p| p.id == id)
}

/// Products recommended next to `id` (the next three in the catalog).
pub fn recommended_for(id: u32) -> impl Iterator<Item = Product> {
    PRODUCTS
        .into_iter()
        .cycle()
        .skip_while(move |p| p.id != id)
        .skip(1)
        .take(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_like_danish_kroner() {
        assert_eq!(PRODUCTS[0].price(), "129,00 kr.");
        assert_eq!(PRODUCTS[5].price(), "49,00 kr.");
    }

    #[test]
    fn recommendations_skip_the_product_itself() {
        let ids: Vec<_> = recommended_for(5).map(|p| p.id).collect();
        assert_eq!(ids, [6, 1, 2]);
        assert_eq!(product(99), None);
    }
}
