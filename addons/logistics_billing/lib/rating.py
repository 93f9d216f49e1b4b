"""Rating a shipment against a rate card: which lane applies, what the linehaul
and the fuel surcharge come to. Plain Python, no Odoo: the models hand in
plain values and store what comes back."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    country: str = ""
    state: str = ""
    zip: str = ""


@dataclass(frozen=True)
class Zone:
    """Countries, states or postal prefixes a lane starts or ends in; empty
    parts match anything."""

    country: str = ""
    state: str = ""
    zip_prefix: str = ""

    def specificity(self, place):
        """How closely this zone names the place (higher is closer), or None
        when the place is outside it."""
        score = 0
        if self.country:
            if self.country.upper() != (place.country or "").upper():
                return None
            score += 1
        if self.state:
            if self.state.upper() != (place.state or "").upper():
                return None
            score += 2
        if self.zip_prefix:
            prefix = self.zip_prefix.replace(" ", "").upper()
            if not (place.zip or "").replace(" ", "").upper().startswith(prefix):
                return None
            score += 2 + len(prefix)
        return score


@dataclass(frozen=True)
class LaneRate:
    """One weight (or volume) break of a lane: from ``break_from`` up, ``rate``
    per unit plus ``flat``, never less than ``minimum``."""

    key: object
    origin: Zone
    destination: Zone
    mode: str = ""
    basis: str = "weight"  # weight (kg), volume (m3) or shipment (flat per move)
    break_from: float = 0.0
    rate: float = 0.0
    flat: float = 0.0
    minimum: float = 0.0

    def amount(self, quantity):
        return max(self.minimum, self.flat + self.rate * quantity)


def best_lane_rate(rates, origin, destination, mode, quantities):
    """The rate that applies: the most specific lane matching both ends and
    the mode, then its highest break the shipment reaches. ``quantities`` maps
    a basis to the shipment's quantity of it. None when no lane matches."""
    best, best_rank = None, None
    for rate in rates:
        if rate.mode and rate.mode != mode:
            continue
        ends = (rate.origin.specificity(origin), rate.destination.specificity(destination))
        if None in ends:
            continue
        quantity = quantities.get(rate.basis, 0.0) if rate.basis != "shipment" else 0.0
        if quantity < rate.break_from:
            continue
        rank = (sum(ends), bool(rate.mode), rate.break_from)
        if best_rank is None or rank > best_rank:
            best, best_rank = rate, rank
    return best


@dataclass(frozen=True)
class FuelBand:
    """Fuel prices from ``price_from`` (inclusive) to ``price_to`` (exclusive;
    0 = no upper end): a percent of linehaul, or an amount per km."""

    price_from: float
    price_to: float
    percent: float = 0.0
    per_km: float = 0.0

    def covers(self, price):
        return price >= self.price_from and (not self.price_to or price < self.price_to)


def fuel_surcharge(bands, fuel_price, linehaul, distance_km):
    """The surcharge the band of ``fuel_price`` gives, 0 outside every band."""
    band = next((band for band in bands if band.covers(fuel_price)), None)
    if band is None:
        return 0.0
    return linehaul * band.percent / 100.0 + (distance_km or 0.0) * band.per_km
