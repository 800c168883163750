"""Tỉnh thành / Provinces: participation on a tile map of Vietnam (63 or 34 units) and a province × conference matrix."""
import streamlit as st

from dashboard.app import charts
from dashboard.app.components import chart, labels, require_articles
from dashboard.app.data import get_store
from dashboard.app.lookups import tiles
from dashboard.app.state import current_filters

L = labels()
st.title(L["page_provinces"])
store, filters = get_store(), current_filters()
if require_articles(store.count(filters)):
    scheme = st.segmented_control(L["scheme"], ["63", "34"], default="63", key="prov_scheme",
                                  format_func=lambda s: L["scheme_63"] if s == "63" else L["scheme_34"]) or "63"
    participation = store.province_participation(filters, scheme)
    st.markdown(f"**{L['participation_map']}**")
    chart(charts.tile_map(tiles(scheme), participation, L), participation, f"provinces_{scheme}")
    with st.expander(L["participation"], expanded=False):
        st.dataframe(participation.sort_values(["participating", "mentioned"], ascending=False), hide_index=True,
                     width="stretch", column_config={"unit": L["provinces"], "participating": L["participating"],
                                                     "mentioned": L["mentioned"]})
    st.subheader(L["matrix"])
    matrix = store.province_conference_matrix(filters, scheme)
    if matrix.empty:
        st.caption("—")
    else:
        chart(charts.province_matrix(matrix, L), matrix, f"province_conference_{scheme}")
